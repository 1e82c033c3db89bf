module.exports = { ...require('../../jest.preset.cjs'), displayName: 'greeting-server', rootDir: __dirname };
