/**
 * Measured rows of the reliability and load suites: one results file per suite, each row tied to
 * the Jest test that measured it, that `reliability-report` turns into docs/reports/reliability.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@desafios/testing';

export const RESULTS_DIR = join(WORKSPACE_ROOT, 'test-artifacts/reliability');

export type Category = 'carga' | 'falha' | 'entrada ruim' | 'dados' | 'endurecimento';

export interface ResultRow {
  category: Category;
  subject: string;
  scenario: string;
  result: string;
  /** Numbers the report may aggregate (ms, requests, rows lost…). */
  metrics?: Record<string, number>;
  /**
   * The Jest test that measured the row (its full name): `add` fills it in from the running test.
   * The report takes the row's verdict from Jest's result for that test (passed, failed, skipped),
   * never from the row. A row added outside a test (in an afterAll) names the describe block it sums
   * up instead, and gets the worst verdict of the tests under it.
   */
  test?: string;
}

/**
 * Collects a suite's rows and writes them to test-artifacts/reliability/<suite>.json, with the test
 * file's path: tools/reliability/write-report.mjs matches each row to its test in Jest's JSON results.
 */
export class Results {
  readonly rows: ResultRow[] = [];
  private testPath?: string;
  private inTest = false;

  /** Construct it where hooks may be declared (a test file's top level or a describe block). */
  constructor(private readonly suite: string) {
    // jest-circus sets currentTestName when a test starts and never clears it: in an afterAll it
    // still names the last test. These hooks say whether a test is running.
    beforeEach(() => {
      this.inTest = true;
    });
    afterEach(() => {
      this.inTest = false;
    });
  }

  add(row: ResultRow): void {
    const state = expect.getState();
    const test = row.test ?? (this.inTest ? state.currentTestName : undefined);
    if (!test) throw new Error(`Results.add outside a test needs the describe block it sums up (row "${row.scenario}")`);
    this.testPath ??= state.testPath;
    this.rows.push({ ...row, test });
  }

  write(): void {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(
      join(RESULTS_DIR, `${this.suite}.json`),
      JSON.stringify({ suite: this.suite, testPath: this.testPath ?? expect.getState().testPath, finishedAt: new Date().toISOString(), rows: this.rows }, null, 2),
    );
  }
}
