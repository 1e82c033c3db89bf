module.exports = { ...require('../../jest.preset.cjs'), displayName: 'users-consumer', rootDir: __dirname };
