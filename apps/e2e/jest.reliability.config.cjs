/** Faults, hostile input and hardening checks against the real images and built apps (CI, ≤ 7 min). */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e:reliability',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/reliability/**/*.e2e.ts'],
  testTimeout: 180_000,
  // it.concurrent cases (one short process each): enough to overlap their start-up, not to starve 2 cores.
  maxConcurrency: 3,
};
