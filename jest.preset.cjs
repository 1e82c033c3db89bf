const path = require('node:path');

/** Shared Jest settings: SWC compiles TypeScript with the decorator metadata Nest's DI needs. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@desafios/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
    // A lib's test helpers: a second entry point beside its barrel.
    '^@desafios/([a-z-]+)/testing$': path.join(__dirname, 'libs/$1/src/testing.ts'),
  },
  testMatch: ['**/?(*.)+(spec|test).ts'],
  reporters: ['default', path.join(__dirname, 'tools/jest/count-reporter.cjs')],
};
