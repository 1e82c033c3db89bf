/** Built apps (dist/apps/*) run as child processes on loopback. */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e:process',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/process/**/*.e2e.ts'],
  testTimeout: 60_000,
};
