/**
 * The e2e suites, one Jest project each; `apps/e2e/jest.sh <suite>` runs one of them.
 *
 * Jest reads `testTimeout` only from the top level of a multi-project config, so each project
 * passes its timeout in `globals` and one setup file applies it with `jest.setTimeout`.
 */
const { reporters, ...preset } = require('../../jest.preset.cjs');

const suite = (name, testMatch, timeoutMs) => ({
  ...preset,
  displayName: `e2e:${name}`,
  rootDir: __dirname,
  testMatch: [`<rootDir>/src/${testMatch}`],
  globals: { E2E_TIMEOUT_MS: timeoutMs },
  setupFilesAfterEnv: ['<rootDir>/src/support/timeout.setup.ts'],
});

module.exports = {
  reporters,
  // reliability's it.concurrent cases (one short process each): enough to overlap their start-up,
  // not to starve 2 cores. The other suites have no concurrent cases.
  maxConcurrency: 3,
  projects: [
    // Built apps (dist/apps/*) run as child processes on loopback.
    suite('process', 'process/**/*.e2e.ts', 60_000),
    // Real images and `docker compose` profiles on the local Docker Engine.
    suite('container', 'container/**/*.e2e.ts', 180_000),
    // Faults, hostile input and hardening checks against the real images and built apps (CI, ≤ 7 min).
    suite('reliability', 'reliability/**/*.e2e.ts', 180_000),
    // Desafio 4 as a Docker Swarm stack (deploy/swarm) on a single-node swarm of the local Engine.
    suite('swarm', 'swarm/**/*.e2e.ts', 240_000),
    // Every image built for linux/arm64 and each desafio run on arm64 containers under emulation,
    // then published for both platforms (opt-in, not in npm test: emulated, so slow; docs/arm64.md).
    suite('arm64', 'arm64/**/*.e2e.ts', 900_000),
    // Three-node swarm in containers (deploy/lab): registry, publishing, drain, node loss (CI, ~8 min).
    suite('lab', 'lab/**/*.e2e.ts', 300_000),
    // The challenge pages (docs/desafios/*.md), every marked step run in order against the real stacks.
    suite('docs', 'docs/**/*.e2e.ts', 600_000),
    // Sustained load (60 s × 100 connections per app by default): a separate command, not in CI.
    suite('load', 'load/**/*.load.ts', 600_000),
  ],
};
