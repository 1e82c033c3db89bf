import base, { projectBoundaries } from '../../eslint.config.mjs';

// The bench starts, waits for and stops processes and containers with @desafios/testing, as e2e does.
export default [...base, ...projectBoundaries({ testProject: true })];
