/**
 * The profile `observabilidade` beside every challenge: Prometheus finds each running app by its
 * service name on minha_rede and scrapes its GET /metrics. The traffic sent here is what Prometheus
 * counts; stopping users-service moves the consumer's breaker series, and starting it again brings
 * them back; the graph page draws a query in Chromium (screenshot in test-artifacts/).
 * Needs the images: npx nx run-many -t docker-build (and prom/prometheus:v2.53.3)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { artifactPath, launchChromium } from '../support/browser';
import { freePort, get, stackPerSuite, untilStatus, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import { query, scalar, targets } from '../support/prometheus';

const APPS = ['curl-client', 'greeting-server', 'users-consumer', 'users-service', 'web-gateway'];
/** The three queries of docs/observabilidade.md's "Três consultas para colar", as a reader copies them. */
const PAGE_QUERIES = (() => {
  const page = readFileSync(join(WORKSPACE_ROOT, 'docs/observabilidade.md'), 'utf8');
  const section = page.slice(page.indexOf('## Três consultas para colar'), page.indexOf('![A consulta 1'));
  return [...section.matchAll(/^ {3}`([^`]+)`$/gm)].map(([, promql]) => promql);
})();
/** The page's first query: requests per second per service. */
const RATE_BY_JOB = PAGE_QUERIES[0];

describe('observabilidade: Prometheus ao lado dos quatro desafios (docker compose)', () => {
  const ports: Record<string, number> = {};
  const url = (name: string, path = '/') => `http://127.0.0.1:${ports[name]}${path}`;
  const stack = stackPerSuite('desafios-e2e-obs', async () => {
    for (const name of ['GREETING_PORT', 'WEB_PORT', 'USERS_SERVICE_PORT', 'USERS_CONSUMER_PORT', 'PROMETHEUS_PORT']) ports[name] = await freePort();
    return {
      COMPOSE_PROFILES: 'desafio1,desafio3,desafio4,observabilidade',
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      INTERVAL_MS: '500',
      POSTGRES_PASSWORD: 'senha-da-observabilidade',
    };
  });
  const prometheus = () => url('PROMETHEUS_PORT', '');

  it('finds every app by its service name, and every target is up', async () => {
    const seen = await waitFor(
      'every app a target, every target up',
      async () => {
        const found = await targets(prometheus());
        const jobs = [...new Set(found.map((target) => target.job))].sort();
        return jobs.join() === ['prometheus', ...APPS].sort().join() && found.every((target) => target.health === 'up') ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(seen).toHaveLength(APPS.length + 1);
  });

  it('counts exactly the requests sent, by route template and status', async () => {
    for (let i = 0; i < 20; i++) expect((await get(url('USERS_CONSUMER_PORT'))).status).toBe(200);
    for (let i = 0; i < 7; i++) expect((await get(url('WEB_PORT'))).status).toBe(200);
    expect((await get(url('USERS_SERVICE_PORT', '/users/999999'))).status).toBe(404);
    const page = (job: string, status = 200, route = '/') =>
      `sum(http_request_duration_seconds_count{job="${job}",route="${route}",status_code="${status}"})`;
    // Only these tests ask for the pages; healthchecks ask /health/*, and scrapes are left out.
    await waitFor('the consumer page counted 20 times', async () => ((await scalar(prometheus(), page('users-consumer'))) === 20 ? true : undefined), { timeoutMs: 20_000, intervalMs: 500 });
    await waitFor('the gateway page counted 7 times', async () => ((await scalar(prometheus(), page('web-gateway'))) === 7 ? true : undefined), { timeoutMs: 20_000, intervalMs: 500 });
    // A route template, never the raw URL: the 404 of /users/999999 is counted under /users/:id
    // (users-service is another target, scraped on its own schedule: wait for it too).
    await waitFor('the 404 counted under /users/:id', async () => ((await scalar(prometheus(), page('users-service', 404, '/users/:id'))) === 1 ? true : undefined), { timeoutMs: 20_000, intervalMs: 500 });
    expect(await query(prometheus(), 'http_request_duration_seconds_count{route=~".*999999.*"}')).toEqual([]);
    // What each service knows: the consumer's 20 answered attempts, the gateway's 7 visits, the poller's.
    expect(await scalar(prometheus(), 'sum(users_upstream_attempt_duration_seconds_count{outcome="ok"})')).toBe(20);
    expect(await scalar(prometheus(), 'web_gateway_visits')).toBe(7);
    expect(await scalar(prometheus(), 'sum(web_gateway_check_duration_seconds_count{check="db",outcome="ok"})')).toBeGreaterThanOrEqual(7);
    expect(await scalar(prometheus(), 'curl_client_attempts_total{outcome="ok"}')).toBeGreaterThan(0);
    // The Node runtime of every app, e.g. its resident memory.
    expect((await query(prometheus(), 'process_resident_memory_bytes')).map((sample) => sample.metric.job).sort()).toEqual(['prometheus', ...APPS].sort());
  });

  it('stopping users-service opens the breaker in its series; starting it again closes it', async () => {
    const transitions = (to: string) => scalar(prometheus(), `users_upstream_breaker_transitions_total{to="${to}"}`);
    expect(await transitions('open')).toBe(0);
    await stack.project.run(['stop', 'users-service']);
    // Three calls without an answer open the circuit (USERS_BREAKER_THRESHOLD=3).
    for (let i = 0; i < 4; i++) expect((await get(url('USERS_CONSUMER_PORT'), { timeoutMs: 10_000 })).status).toBe(503);
    await waitFor('breaker state 2 (open) scraped', async () => ((await scalar(prometheus(), 'users_upstream_breaker_state')) === 2 ? true : undefined), { timeoutMs: 20_000, intervalMs: 500 });
    expect(await transitions('open')).toBeGreaterThanOrEqual(1);
    expect(await scalar(prometheus(), 'sum(users_upstream_attempt_duration_seconds_count{outcome="no_answer"})')).toBeGreaterThanOrEqual(3);

    await stack.project.run(['start', 'users-service']);
    await untilStatus(url('USERS_CONSUMER_PORT'), 200, Date.now(), 30_000);
    await waitFor('breaker state 0 (closed) scraped', async () => ((await scalar(prometheus(), 'users_upstream_breaker_state')) === 0 ? true : undefined), { timeoutMs: 20_000, intervalMs: 500 });
    expect(await transitions('closed')).toBeGreaterThanOrEqual(1);
  });

  it("the observability page's three queries answer as written: a series per service, and the breaker", async () => {
    expect(PAGE_QUERIES).toHaveLength(3);
    const [rate, p99, breaker] = PAGE_QUERIES;
    const jobs = async (promql: string) => (await query(prometheus(), promql)).map((sample) => sample.metric.job).sort();
    const served = ['greeting-server', 'users-consumer', 'users-service', 'web-gateway'];
    expect(await jobs(rate)).toEqual(served);
    const latencies = await query(prometheus(), p99);
    expect(latencies.map((sample) => sample.metric.job).sort()).toEqual(served);
    for (const { value } of latencies) expect(value).toBeGreaterThan(0);
    expect(await query(prometheus(), breaker)).toEqual([expect.objectContaining({ value: 0 })]);
  });

  describe('the graph page (Chromium)', () => {
    let browser: Browser;
    beforeAll(async () => (browser = await launchChromium()));
    afterAll(() => browser?.close());

    it(`draws "${RATE_BY_JOB}" with one series per service`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const search = `?g0.expr=${encodeURIComponent(RATE_BY_JOB)}&g0.tab=0&g0.range_input=1m`;
      await page.goto(`${prometheus()}/graph${search}`);
      // Upstream's image serves its React UI at /graph; Debian's Prometheus (the stand-in on our
      // machines) does not ship it and serves the classic UI at /classic/graph, which reads the same URL.
      const react = !(await page.content()).includes('does not include the modern React web UI');
      if (!react) await page.goto(`${prometheus()}/classic/graph${search}`);
      const legend = page.locator(react ? '.graph-legend .legend-item' : '.legend .line');
      await waitFor('a legend row per service', async () => ((await legend.count()) >= 4 ? true : undefined), { timeoutMs: 20_000, intervalMs: 250 });
      const rows = (await legend.allInnerTexts()).join('\n');
      for (const job of ['greeting-server', 'users-consumer', 'users-service', 'web-gateway']) expect(rows).toContain(job);
      await page.screenshot({ path: artifactPath('prometheus-graph.png') });
      await page.close();
    });
  });
});
