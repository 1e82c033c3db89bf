module.exports = { ...require('../../jest.preset.cjs'), displayName: 'http-upstream', rootDir: __dirname };
