import nx from '@nx/eslint-plugin';
import jest from 'eslint-plugin-jest';
import tests from './tools/jest/no-unexplained-skip.mjs';

// Every project carries one scope tag and one type tag (its project.json).
const desafios = ['scope:desafio1', 'scope:desafio2', 'scope:desafio3', 'scope:desafio4'];
const scopeConstraints = [
  // A challenge uses its own projects and the shared ones, never another challenge's.
  ...desafios.map((scope) => ({ sourceTag: scope, onlyDependOnLibsWithTags: [scope, 'scope:shared'] })),
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  // e2e, bench and deploy prove, measure or deploy every challenge.
  { sourceTag: 'scope:all', onlyDependOnLibsWithTags: [...desafios, 'scope:shared'] },
];

/** What each type may import; `tests` widens it for test code (specs and test helpers). */
const typeConstraints = (tests) => [
  // Production code never reaches test utilities; specs may (test-util: libs/testing).
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: tests ? ['type:lib', 'type:test-util'] : ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: tests ? ['type:lib', 'type:test-util'] : ['type:lib'] },
  { sourceTag: 'type:test-util', onlyDependOnLibsWithTags: ['type:lib', 'type:test-util'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:test-util'] },
  { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'type:test-util'] },
  // Deploy projects have no code: they ship the apps' images (implicitDependencies), import nothing.
  { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: [] },
];

/** Specs and test helpers (`x.testing.ts`, a lib's `testing.ts` entry point, `testing/` folders). */
const testFiles = ['**/*.spec.ts', '**/*.testing.ts', '**/testing.ts', '**/testing/**/*.ts'];

const boundaries = (tests, allow = []) => [
  'error',
  { enforceBuildableLibDependency: true, allow, depConstraints: [...scopeConstraints, ...typeConstraints(tests)] },
];

/** The rules that tell production code from test code: module boundaries and the `/testing` entry points. */
const codeRules = ({ tests, allow }) => ({
  '@nx/enforce-module-boundaries': boundaries(tests, allow),
  'no-restricted-imports': tests
    ? 'off'
    : [
        'error',
        {
          patterns: [
            { regex: '^@desafios/[a-z-]+/testing$', message: 'Test helpers are for specs: import them from a *.spec.ts file.' },
          ],
        },
      ],
});

/**
 * A project's boundaries, with its declared exceptions (`allow`: regexes of imports let through).
 * `testProject`: every file is test code (e2e, bench).
 */
export const projectBoundaries = ({ allow = [], testProject = false } = {}) => [
  { files: ['**/*.ts'], rules: codeRules({ tests: testProject, allow }) },
  { files: testFiles, rules: codeRules({ tests: true, allow }) },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'test-artifacts', 'tmp'] },
  // Source files only: build and test config files (webpack, jest) import shared tooling by path.
  ...projectBoundaries(),
  {
    // Tests are code too: no focused test (`.only`, `fit`, `fdescribe`) reaches main, and a skipped one
    // says why in a comment next to it (tools/jest/no-unexplained-skip.mjs).
    files: ['**/*.ts'],
    plugins: { jest, tests },
    rules: { 'jest/no-focused-tests': 'error', 'tests/no-unexplained-skip': 'error' },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
];
