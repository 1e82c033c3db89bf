/**
 * Desafio 1 under faults and hostile input: greeting-server (and curl-client) in the real images.
 * Needs the images: npx nx run greeting-server:docker-build && npx nx run curl-client:docker-build
 */
import { freePort, inspect, stackPerSuite } from '@desafios/testing';
import { crash, leaksIn, untilHealthy } from '../support/containers';
import { expectFuzzSurvived } from '../support/fuzz-container';
import { expectCleanStop, killUnderLoad } from '../support/faults';
import { Results } from '../support/results';

const results = new Results('desafio1');

describe('reliability: desafio 1 (greeting-server, curl-client)', () => {
  let port: number;
  let base: string;

  const stack = stackPerSuite('desafios-rel-d1', async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    return { COMPOSE_PROFILES: 'desafio1', GREETING_PORT: String(port), INTERVAL_MS: '500' };
  });
  const { id } = stack;

  afterAll(() => results.write());

  it('greeting-server: 2,000 hostile requests give no 5xx, no leak, no crash, bounded memory', async () => {
    await expectFuzzSurvived(results, { container: await id('greeting-server'), port, subject: 'greeting-server', seed: 1, paths: ['/', '/health/live', '/health/ready', '/nao-existe'], alivePath: '/' });
  });

  it('greeting-server SIGKILLed under load: the load spans the kill, and the restart policy brings it back healthy', async () => {
    const container = await id('greeting-server');
    const restarts = Number(await inspect(container, '{{.RestartCount}}'));
    const { outcome, overlap, healthyMs, pageMs } = await killUnderLoad(`${base}/`, container, { connections: 8, timeoutMs: 3000 });
    expect(Number(await inspect(container, '{{.RestartCount}}'))).toBe(restarts + 1);
    results.add({
      category: 'falha',
      subject: 'greeting-server',
      scenario: 'SIGKILL sob carga (8 conexões)',
      result: `saudável de novo em ${healthyMs} ms (200 em ${pageMs} ms); ${overlap.inFlightAtKill} requisições em voo no kill, ${overlap.failedInWindow} falhas durante a queda ${JSON.stringify(outcome.errors)}, ${overlap.okAfterRecovery} ok depois da volta`,
      metrics: { recoveryMs: healthyMs, ...overlap },
    });
    // The fault hit a server under load: requests were in flight when it died, the outage failed
    // some (no server behind the port), and the same load was served again once it was back.
    expect(overlap.inFlightAtKill).toBeGreaterThan(0);
    expect(overlap.failedInWindow).toBeGreaterThan(0);
    expect(overlap.okAfterRecovery).toBeGreaterThan(0);
  });

  it('curl-client SIGKILLed: restarted by its policy and fetching the greeting again', async () => {
    const container = await id('curl-client');
    const restarts = Number(await inspect(container, '{{.RestartCount}}'));
    await crash(container);
    const killedAt = Date.now();
    // Healthy: its heartbeat says an answer came after the restart.
    const healthyMs = await untilHealthy(container, killedAt, 30_000, restarts);
    expect(Number(await inspect(container, '{{.RestartCount}}'))).toBe(restarts + 1);
    results.add({ category: 'falha', subject: 'curl-client', scenario: 'SIGKILL', result: `saudável de novo em ${healthyMs} ms`, metrics: { recoveryMs: healthyMs } });
  });

  it('no stack trace in any log', async () => {
    for (const service of ['greeting-server', 'curl-client']) expect(leaksIn(await stack.project.logs(service))).toEqual([]);
  });

  it('docker compose stop ends curl-client (booted) in under 2 s with exit code 0', async () => {
    await expectCleanStop(results, stack.project, 'curl-client', await id('curl-client'), /a cada \d+ ms/);
  });

  it('docker compose stop under load ends greeting-server in under 2 s, code 0, and drops no request', async () => {
    await expectCleanStop(results, stack.project, 'greeting-server', await id('greeting-server'), /ouvindo em/, { url: `${base}/`, connections: 16 });
  });
});
