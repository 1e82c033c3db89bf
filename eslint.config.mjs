import nx from '@nx/eslint-plugin';
import jest from 'eslint-plugin-jest';
import tests from './tools/jest/no-unexplained-skip.mjs';

export const moduleBoundaries = {
  enforceBuildableLibDependency: true,
  allow: [],
  depConstraints: [
    // Apps depend on libs only; libs never on apps; tests may drive anything.
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:desafio4', onlyDependOnLibsWithTags: ['scope:desafio4', 'scope:shared'] },
  ],
};

/** A project's declared exceptions to the boundaries: imports matching `allow` (regexes) are let through. */
export const allowImports = (allow) => ({
  files: ['**/*.ts'],
  rules: { '@nx/enforce-module-boundaries': ['error', { ...moduleBoundaries, allow }] },
});

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'test-artifacts', 'tmp'] },
  {
    // Source files only: build and test config files (webpack, jest) import shared tooling by path.
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries],
    },
  },
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
