/**
 * Desafio 4 under faults and hostile input: users-consumer in front of users-service, both in the
 * real images. users-service is stopped, paused, cut off the network and SIGKILLed while the
 * consumer serves; each HTTP app gets 2,000 hostile requests.
 * Needs the images: npx nx run users-service:docker-build && npx nx run users-consumer:docker-build
 */
import { docker, failures, freePort, get, inspect, stackPerSuite, untilStatus } from '@desafios/testing';
import { leaksIn, untilHealthy } from '../support/containers';
import { expectFuzzSurvived } from '../support/fuzz-container';
import { expectCleanStop, killUnderLoad } from '../support/faults';
import { Results } from '../support/results';

const TIMEOUT_MS = 1000;
const RETRIES = 1;
const COOLDOWN_MS = 2000;
// Worst case of one page: every attempt times out, plus the 100 ms pause between attempts, plus margin.
const PAGE_BOUND_MS = TIMEOUT_MS * (1 + RETRIES) + 100 + 700;

const results = new Results('desafio4');

describe('reliability: desafio 4 (users-service, users-consumer)', () => {
  let servicePort: number;
  let consumerPort: number;
  let consumer: string;

  const stack = stackPerSuite('desafios-rel-d4', async () => {
    servicePort = await freePort();
    consumerPort = await freePort();
    consumer = `http://127.0.0.1:${consumerPort}/`;
    return {
      COMPOSE_PROFILES: 'desafio4',
      USERS_SERVICE_PORT: String(servicePort),
      USERS_CONSUMER_PORT: String(consumerPort),
      USERS_TIMEOUT_MS: String(TIMEOUT_MS),
      USERS_RETRIES: String(RETRIES),
      USERS_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
    };
  });
  const { id } = stack;

  afterAll(() => results.write());

  it('the consumer page carries the security headers', async () => {
    const { status, headers } = await get(consumer);
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
  });

  describe.each([
    ['users-service', () => servicePort, ['/users', '/users/1', '/users/abc', '/users/99999999999999999999', '/users/-1', '/docs', '/docs-json', '/health/ready']],
    ['users-consumer', () => consumerPort, ['/', '/health/ready', '/health/live', '/users']],
  ] as const)('%s: 2,000 hostile requests', (service, portOf, paths) => {
    it('no 5xx but 503, no leak, no crash, bounded memory', async () => {
      await expectFuzzSurvived(results, { container: await id(service), port: portOf(), subject: service, seed: service.length, paths: [...paths] });
    });
  });

  const network = 'desafios-rel-d4_minha_rede';
  it.each([
    ['stop', () => stack.project.run(['stop', 'users-service']), () => stack.project.run(['start', 'users-service'])],
    ['pause', (c: string) => docker(['pause', c]), (c: string) => docker(['unpause', c])],
    [
      'network disconnect',
      (c: string) => docker(['network', 'disconnect', network, c]),
      (c: string) => docker(['network', 'connect', '--alias', 'users-service', network, c]),
    ],
  ] as const)('users-service %s: the consumer answers 503 within its timeout, never hangs, and recovers', async (fault, inject, repair) => {
    const service = await id('users-service');
    const consumerId = await id('users-consumer');
    const consumerStart = await inspect(consumerId, '{{.State.StartedAt}}');
    await inject(service);
    let repaired = false;
    try {
      let slowest = 0;
      for (let i = 0; i < 5; i++) {
        const page = await get(consumer, { timeoutMs: 10_000 });
        expect(page.status).toBe(503);
        expect(page.ms).toBeLessThan(PAGE_BOUND_MS);
        slowest = Math.max(slowest, page.ms);
      }
      const repairedAt = Date.now();
      await repair(service);
      repaired = true;
      const recoveryMs = await untilStatus(consumer, 200, repairedAt, 60_000);
      expect(await inspect(consumerId, '{{.State.StartedAt}}')).toBe(consumerStart);
      results.add({
        category: 'falha',
        subject: 'users-consumer ← users-service',
        scenario: fault,
        result: `503 em ≤ ${Math.round(slowest)} ms (limite ${PAGE_BOUND_MS} ms); 200 de novo ${recoveryMs} ms após reparar (inclui o cooldown de ${COOLDOWN_MS} ms do disjuntor)`,
        metrics: { answerMs: Math.round(slowest), recoveryMs },
      });
    } finally {
      if (!repaired) await repair(service).catch(() => undefined);
    }
    await untilHealthy(service, Date.now(), 60_000);
  });

  describe.each(['users-service', 'users-consumer'] as const)('%s SIGKILLed under load on the consumer', (service) => {
    it('the load spans the kill, the restart policy brings it back healthy, and the page serves 200 again', async () => {
      const container = await id(service);
      const restarts = Number(await inspect(container, '{{.RestartCount}}'));
      const { outcome, overlap, healthyMs, pageMs } = await killUnderLoad(consumer, container, {
        connections: 8,
        timeoutMs: 5000,
        slowMs: PAGE_BOUND_MS,
      });
      expect(Number(await inspect(container, '{{.RestartCount}}'))).toBe(restarts + 1);
      results.add({
        category: 'falha',
        subject: service,
        scenario: 'SIGKILL sob carga (8 conexões no consumer)',
        result: `saudável de novo em ${healthyMs} ms (página 200 em ${pageMs} ms); ${overlap.inFlightAtKill} requisições em voo no kill; na queda: ${outcome.statuses['503'] ?? 0} × 503, ${failures(outcome, (s) => s === 503)} outras falhas, ${overlap.disturbed} afetadas (erro, 503 ou ≥ ${PAGE_BOUND_MS} ms); ${overlap.okAfterRecovery} ok depois da volta`,
        metrics: { recoveryMs: healthyMs, ...overlap },
      });
      // The kill hit the pair under load: requests in flight, failed (consumer down) or answered
      // 503 / slowly (users-service down, retried, then the breaker) during the outage, 200s after.
      expect(overlap.inFlightAtKill).toBeGreaterThan(0);
      expect(overlap.disturbed).toBeGreaterThan(0);
      expect(overlap.okAfterRecovery).toBeGreaterThan(0);
    });
  });

  it('no stack trace in any log', async () => {
    for (const service of ['users-service', 'users-consumer']) expect(leaksIn(await stack.project.logs(service))).toEqual([]);
  });

  // The consumer first, while users-service still answers its pages; then users-service under its own load.
  it.each([
    ['users-consumer', () => consumer],
    ['users-service', () => `http://127.0.0.1:${servicePort}/users`],
  ])('docker compose stop under load ends %s in under 2 s, code 0, and drops no request', async (service, url) => {
    await expectCleanStop(results, stack.project, service, await id(service), /ouvindo em/, { url: url(), connections: 16 });
  });
});
