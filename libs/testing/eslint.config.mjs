import base, { projectBoundaries } from '../../eslint.config.mjs';

// Every file here is test machinery (for specs, e2e and bench), never production code.
export default [...base, ...projectBoundaries({ testProject: true })];
