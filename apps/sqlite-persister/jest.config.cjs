module.exports = { ...require('../../jest.preset.cjs'), displayName: 'sqlite-persister', rootDir: __dirname };
