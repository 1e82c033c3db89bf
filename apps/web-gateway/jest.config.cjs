module.exports = { ...require('../../jest.preset.cjs'), displayName: 'web-gateway', rootDir: __dirname };
