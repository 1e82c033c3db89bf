/** Desafio 4 as a Docker Swarm stack (deploy/swarm) on a single-node swarm of the local Engine. */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'e2e:swarm',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/swarm/**/*.e2e.ts'],
  testTimeout: 240_000,
};
