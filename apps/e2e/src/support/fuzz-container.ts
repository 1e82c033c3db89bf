/** A running container fuzzed through its published port, with the verdict every fault suite asserts. */
import { containerRssKiB } from './containers';
import { expectFuzzClean, fuzz, fuzzResult } from './fuzz';
import { Results } from './results';
import { get, inspect } from '@desafios/testing';

export interface FuzzContainerCase {
  container: string;
  port: number;
  /** The row's subject (the service's name). */
  subject: string;
  seed: number;
  paths: string[];
  /** Values that must never appear in an answer (e.g. the database password). */
  secrets?: string[];
  /** A path that must still answer 200 afterwards. */
  alivePath?: string;
}

/**
 * 2,000 hostile requests, then: no 5xx but 503, no stack trace or secret in any answer, no restart
 * (same StartedAt), `alivePath` still 200, and RSS grown by less than half. Adds the row to `results`.
 */
export async function expectFuzzSurvived(results: Results, c: FuzzContainerCase): Promise<void> {
  const startedAt = await inspect(c.container, '{{.State.StartedAt}}');
  const before = await containerRssKiB(c.container);
  const outcome = await fuzz(c.port, { count: 2000, seed: c.seed, paths: c.paths, secrets: c.secrets });
  const after = await containerRssKiB(c.container);
  const growth = (after - before) / before;
  results.add({
    category: 'entrada ruim',
    subject: c.subject,
    scenario: `fuzz HTTP cru, ${outcome.sent} requisições (seed ${c.seed})`,
    result: fuzzResult(outcome, before, after),
    metrics: { requests: outcome.sent, rssGrowthPct: Math.round(growth * 1000) / 10 },
  });
  expectFuzzClean(outcome);
  expect(await inspect(c.container, '{{.State.StartedAt}}')).toBe(startedAt);
  expect((await get(`http://127.0.0.1:${c.port}${c.alivePath ?? '/health/live'}`)).status).toBe(200);
  expect(growth).toBeLessThan(0.5);
}
