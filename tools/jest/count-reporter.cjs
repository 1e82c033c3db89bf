const { appendFileSync, mkdirSync } = require('node:fs');
const { dirname } = require('node:path');

/**
 * Appends "<passed> <failed> <skipped>" for each Jest run to $TEST_COUNTS_FILE (tmp/test-counts.txt
 * under scripts/test-all.sh), so that the script can print one total for all tiers and projects at
 * the end. Failed counts suites that could not run at all; skipped counts `.skip`ped and `.todo` tests.
 */
class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TEST_COUNTS_FILE;
    if (!file) return;
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${passed} ${failed} ${skipped}\n`);
  }
}

module.exports = CountReporter;
