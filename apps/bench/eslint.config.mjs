import base, { projectBoundaries } from '../../eslint.config.mjs';

export default [
  ...base,
  // The bench starts, waits for and stops processes and containers with the e2e harness's own
  // helpers (apps/e2e/src/support), rather than a second copy of them.
  ...projectBoundaries({ testProject: true, allow: ['^\\.\\./\\.\\./e2e/src/support/[a-z-]+$'] }),
];
