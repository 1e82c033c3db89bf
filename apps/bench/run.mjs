// Runs one bench command (src/commands/<name>.ts) under jiti, with the workspace's `@desafios/*`
// aliases read from tsconfig.base.json: the same imports tsc and Jest resolve.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

const root = new URL('../../', import.meta.url);
const { compilerOptions } = JSON.parse(readFileSync(new URL('tsconfig.base.json', root), 'utf8'));
const alias = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [name, fileURLToPath(new URL(target, root))]),
);
const [command] = process.argv.slice(2);
if (!command) throw new Error('usage: node apps/bench/run.mjs <run-all|profile|build-time> [args]');
await createJiti(import.meta.url, { alias }).import(fileURLToPath(new URL(`src/commands/${command}.ts`, import.meta.url)));
