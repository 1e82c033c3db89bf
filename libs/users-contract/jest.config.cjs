module.exports = { ...require('../../jest.preset.cjs'), displayName: 'users-contract', rootDir: __dirname };
