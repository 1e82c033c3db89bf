/** Sustained load (60 s × 100 connections per app by default): a separate command, not in CI. */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e:load',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/load/**/*.load.ts'],
  testTimeout: 600_000,
};
