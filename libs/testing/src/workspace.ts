import { join } from 'node:path';

/** The repository's root: built apps, compose files and deploy scripts are found from here. */
export const WORKSPACE_ROOT = join(__dirname, '../../..');
