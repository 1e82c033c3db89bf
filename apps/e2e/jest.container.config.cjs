/** Real images and `docker compose` profiles on the local Docker Engine. */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e:container',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/container/**/*.e2e.ts'],
  testTimeout: 180_000,
};
