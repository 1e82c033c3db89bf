const { appendFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

/**
 * Appends "<passed> <failed>" for each Jest run to tmp/test-counts.txt, so that scripts/test-all.sh
 * can print one total for all tiers and projects at the end.
 */
class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.TEST_COUNTS_FILE;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${results.numPassedTests} ${results.numFailedTests + results.numRuntimeErrorTestSuites}\n`);
  }
}

module.exports = CountReporter;
module.exports.defaultFile = join(__dirname, '../../tmp/test-counts.txt');
