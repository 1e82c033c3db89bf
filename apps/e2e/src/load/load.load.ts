/**
 * Sustained load: `npx nx run e2e:load` (LOAD_SECONDS=60 and LOAD_CONNECTIONS=100 by default; CI runs
 * the short form, LOAD_SECONDS=10 LOAD_CONNECTIONS=50, ~2 min; LOAD_APPS=greeting-server,users-consumer,
 * web-gateway to pick). For each app, in its real
 * image under its compose profile: zero failed requests, RSS growth under 10 % from one run to the
 * next, and a graceful stop in the middle of the load that drops no request already sent and cuts
 * none sent after (support/faults.ts expectNothingLost).
 *
 * The growth is measured between two consecutive runs of the same load, not from a short warm-up: V8
 * grows its heap to a working size under load before it settles (measured on users-consumer at 100
 * connections: RSS 95 → 155 MiB in the first 30 s, 162 MiB at 90 s, then within 0.3 MiB for 150 s), so
 * only growth after that first run says something about a leak.
 */
import { ComposeProject, failures, freePort, get, load, sleep, upHealthy } from '@desafios/testing';
import { containerRssKiB, measuredStop } from '../support/containers';
import { describeStopOverlap, expectNothingLost, stopOverlap } from '../support/faults';
import { Results } from '../support/results';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 100);
const APPS = (process.env.LOAD_APPS ?? 'greeting-server,users-consumer,web-gateway').split(',');

const TARGETS = {
  'greeting-server': { profile: 'desafio1', portVariable: 'GREETING_PORT', path: '/' },
  'users-consumer': { profile: 'desafio4', portVariable: 'USERS_CONSUMER_PORT', path: '/' },
  'web-gateway': { profile: 'desafio3', portVariable: 'WEB_PORT', path: '/' },
} as const;

describe(`load: ${SECONDS} s at ${CONNECTIONS} connections`, () => {
  describe.each(APPS.filter((app): app is keyof typeof TARGETS => app in TARGETS))('%s', (app) => {
    const target = TARGETS[app];
    // One results file per app; reliability-report clears them all before each run (never merged).
    const results = new Results(`load-${app}`);
    afterAll(() => results.write());
    let project: ComposeProject;
    let url: string;
    let container: string;

    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}${target.path}`;
      project = new ComposeProject(`desafios-load-${app}`, {
        COMPOSE_PROFILES: target.profile,
        [target.portVariable]: String(port),
        INTERVAL_MS: '3000',
        POSTGRES_PASSWORD: 'senha-da-carga',
      });
      await project.run(['down', '-v', '--remove-orphans']);
      await upHealthy(project);
      container = (await project.containerIds(app))[0];
    }, 180_000);

    afterAll(async () => {
      await project?.run(['down', '-v', '--remove-orphans']);
    }, 120_000);

    it(`${SECONDS} s: zero failed requests and RSS growth under 10 % over a second run`, async () => {
      expect((await get(url)).status).toBe(200);
      const idle = await containerRssKiB(container);
      const run = () => load(url, { connections: CONNECTIONS, durationMs: SECONDS * 1000, timeoutMs: 10_000 });
      const first = await run(); // brings JIT, pools and the heap to their working size
      const before = await containerRssKiB(container);
      const outcome = await run();
      const after = await containerRssKiB(container);
      const failed = failures(first) + failures(outcome);
      const growth = (after - before) / before;
      results.add({
        category: 'carga',
        subject: app,
        scenario: `2 × ${SECONDS} s, ${CONNECTIONS} conexões keep-alive`,
        result: `2ª rodada: ${outcome.started} requisições, ${outcome.rps} req/s, p50 ${outcome.p50} ms, p99 ${outcome.p99} ms, falhas ${failures(first)} na 1ª rodada e ${failures(outcome)} na 2ª ${JSON.stringify({ ...outcome.statuses, ...outcome.errors })}; RSS ${Math.round(idle / 1024)} MiB parado → ${Math.round(before / 1024)} após a 1ª rodada → ${Math.round(after / 1024)} MiB após a 2ª (${(growth * 100).toFixed(1)} %)`,
        metrics: { requests: outcome.started, rps: outcome.rps, failed, rssGrowthPct: Math.round(growth * 1000) / 10, p99: outcome.p99 },
      });
      expect(failed).toBe(0);
      expect(growth).toBeLessThan(0.1);
    });

    it('a graceful stop in the middle of the load drops no request already sent, and cuts none sent after', async () => {
      // The app has just served the whole load: it is up, with its SIGTERM handler in place.
      const running = load(url, { connections: CONNECTIONS, durationMs: 8000, timeoutMs: 10_000, record: true, errorPauseMs: 20 });
      await sleep(3000);
      const stopBegan = Date.now();
      const stop = await measuredStop(project, app, container);
      const overlap = stopOverlap(await running, stopBegan, stop.signalAt);
      results.add({
        category: 'carga',
        subject: app,
        scenario: `docker compose stop no meio da carga (${CONNECTIONS} conexões)`,
        result: `${describeStopOverlap(overlap)}; parou ${stop.signalToExitMs} ms após o sinal, código ${stop.exitCode}`,
        metrics: { inFlightLost: overlap.lost.length, stopMs: stop.signalToExitMs },
      });
      expectNothingLost(overlap);
      expect(stop.exitCode).toBe(0);
      expect(stop.killed).toBe(false);
    });
  });
});
