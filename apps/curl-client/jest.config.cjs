module.exports = { ...require('../../jest.preset.cjs'), displayName: 'curl-client', rootDir: __dirname };
