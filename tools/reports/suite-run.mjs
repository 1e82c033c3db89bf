// A suite's run, as the report writers keep it (docs/reports/<name>.json): what the suite measured
// (test-artifacts/<name>/<name>.json), Jest's results of that run (jest-<name>.json, from `--json`)
// and the commit it measured. Shared by tools/lab and tools/arm64's write-report.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sourceRevision } from '../../libs/testing/src/generated-report.ts';

/** Reads the run the suite just made; stops with one line naming the command when it made none. */
export function readSuiteRun(root, name, command) {
  const artifacts = join(root, 'test-artifacts', name);
  const measuredFile = join(artifacts, `${name}.json`);
  if (!existsSync(measuredFile)) {
    console.error(`write-report: no ${relative(root, measuredFile)} (run ${command})`);
    process.exit(1);
  }
  const jestFile = join(artifacts, `jest-${name}.json`);
  const jest = existsSync(jestFile) ? JSON.parse(readFileSync(jestFile, 'utf8')) : undefined;
  return {
    // The suite ran just before the writer, in the same target: the commit now is the one it measured.
    revision: sourceRevision(root),
    startedAt: new Date(jest?.startTime ?? Date.now()).toISOString(),
    tests: jest && { passed: jest.numPassedTests, failed: jest.numFailedTests, skipped: jest.numPendingTests + jest.numTodoTests },
    results: (jest?.testResults.flatMap((file) => file.assertionResults) ?? []).map(({ title, status }) => ({ title, status })),
    measured: JSON.parse(readFileSync(measuredFile, 'utf8')),
  };
}

/** The Jest result of the first test of a run whose title starts with `start` ('none' if no such test). */
export const resultOf = (run, start) => run.results?.find((test) => test.title.startsWith(start))?.status ?? 'none';
