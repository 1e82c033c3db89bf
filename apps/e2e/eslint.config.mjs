import base, { projectBoundaries } from '../../eslint.config.mjs';

export default [
  ...base,
  // The suites derive hostile environments from each app's own schema, so they may import
  // apps/<app>/src/app.config.ts (and nothing else of an app).
  ...projectBoundaries({ testProject: true, allow: ['^\\.\\./\\.\\./\\.\\./[a-z-]+/src/app\\.config$'] }),
];
