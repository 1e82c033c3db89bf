/** The HTTP apps as host processes on 127.0.0.1: throughput and p99 against raw node:http, memory, start-up. */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../../e2e/src/support/compose';
import { AppProcess, freePort, startApp, startScript, untilServing } from '../../e2e/src/support/processes';
import { waitFor } from '../../e2e/src/support/wait';
import { HEAP_PROBE, memory, recordMemory } from './memory';
import { median, record, round } from './report';
import { compare, wrk } from './wrk';

const BASELINES = join(__dirname, 'baselines');
const quiet = { discardStdout: true };
const measured = { ...quiet, nodeArgs: HEAP_PROBE };
const local = (port: number, path = '/') => `http://127.0.0.1:${port}${path}`;

/** Starts a server on a free port and waits for its first 200; `ms` is the time from spawn to it. */
async function serve(start: (port: number) => AppProcess, path = '/health/live'): Promise<{ app: AppProcess; port: number; ms: number }> {
  const port = await freePort();
  const started = performance.now();
  const app = start(port);
  await untilServing(app, local(port, path), 30_000);
  return { app, port, ms: performance.now() - started };
}

export async function greeting(): Promise<void> {
  const raw = await serve((port) => startScript(join(BASELINES, 'greeting.mjs'), { HOST: '127.0.0.1', PORT: String(port) }, quiet), '/');
  const server = await serve((port) => startApp('greeting-server', { HOST: '127.0.0.1', PORT: String(port) }, measured));
  const { baseline, measured: result } = await compare(local(raw.port), local(server.port), 50);
  const mem = await memory(server.app);
  await Promise.all([raw.app.stop(), server.app.stop()]);

  const ratio = round(result.rps / baseline.rps, 2);
  record('greeting-server', 'req/s a 50 conexões vs node:http puro', `${result.rps} vs ${baseline.rps} (${ratio}×)`, '≥ 0.8×', ratio >= 0.8, { measured: result, baseline });
  record('greeting-server', 'p99 a 50 conexões', `${result.p99} ms`, '≤ 5 ms', result.p99 <= 5);
  recordMemory('greeting-server', mem);
}

export async function users(): Promise<void> {
  const upstream = await serve((port) => startScript(join(BASELINES, 'users-upstream.mjs'), { HOST: '127.0.0.1', PORT: String(port) }, quiet), '/');
  const proxy = await serve(
    (port) => startScript(join(BASELINES, 'users-proxy.mjs'), { HOST: '127.0.0.1', PORT: String(port), UPSTREAM_URL: local(upstream.port, '') }, quiet),
    '/',
  );
  const service = await serve((port) => startApp('users-service', { HOST: '127.0.0.1', PORT: String(port) }, measured));
  const consumer = await serve(
    (port) => startApp('users-consumer', { HOST: '127.0.0.1', PORT: String(port), USERS_SERVICE_URL: local(service.port, '') }, measured),
    '/health/ready',
  );
  const { baseline, measured: result } = await compare(local(proxy.port), local(consumer.port), 50);
  const mem = { consumer: await memory(consumer.app), service: await memory(service.app) };
  await Promise.all([proxy.app.stop(), upstream.app.stop(), consumer.app.stop(), service.app.stop()]);

  const ratio = round(result.rps / baseline.rps, 2);
  record('users-consumer → users-service', 'req/s a 50 conexões vs par node:http puro', `${result.rps} vs ${baseline.rps} (${ratio}×)`, '≥ 0.5×', ratio >= 0.5, { measured: result, baseline });
  record('users-consumer → users-service', 'p99 a 50 conexões', `${result.p99} ms`, '≤ 15 ms', result.p99 <= 15 && result.non2xx === 0);
  recordMemory('users-consumer', mem.consumer);
  recordMemory('users-service', mem.service);
}

/** The difference is a few percent and this machine drifts ±10 % within a minute: 8 rounds, not 3. */
const METRICS_ROUNDS = 8;

/**
 * What the metrics cost (GET /metrics, the request histogram, the runtime collectors): the same build
 * with METRICS_ENABLED=false as the baseline, in alternating rounds. Nothing scrapes during the run.
 */
export async function metricsCost(): Promise<void> {
  const without = { METRICS_ENABLED: 'false' };
  const pair = async (name: string, env: Record<string, string>, path = '/health/live') => ({
    on: await serve((port) => startApp(name, { ...env, HOST: '127.0.0.1', PORT: String(port) }, quiet), path),
    off: await serve((port) => startApp(name, { ...env, ...without, HOST: '127.0.0.1', PORT: String(port) }, quiet), path),
  });
  const row = (subject: string, result: { baseline: { rps: number; p99: number }; measured: { rps: number; p99: number } }) => {
    const ratio = round(result.measured.rps / result.baseline.rps, 3);
    record(subject, 'req/s a 50 conexões com métricas vs METRICS_ENABLED=false', `${result.measured.rps} vs ${result.baseline.rps} (${ratio}×; p99 ${result.measured.p99} vs ${result.baseline.p99} ms)`, '≥ 0.95×', ratio >= 0.95, result);
  };

  const greetingPair = await pair('greeting-server', {});
  row('greeting-server: custo das métricas', await compare(local(greetingPair.off.port), local(greetingPair.on.port), 50, METRICS_ROUNDS));
  await Promise.all([greetingPair.on.app.stop(), greetingPair.off.app.stop()]);

  const service = await serve((port) => startApp('users-service', { HOST: '127.0.0.1', PORT: String(port) }, quiet));
  const consumerPair = await pair('users-consumer', { USERS_SERVICE_URL: local(service.port, '') }, '/health/ready');
  row('users-consumer: custo das métricas', await compare(local(consumerPair.off.port), local(consumerPair.on.port), 50, METRICS_ROUNDS));
  await Promise.all([consumerPair.on.app.stop(), consumerPair.off.app.stop(), service.app.stop()]);
}

/** PostgreSQL 17 and Redis 7 in containers published on loopback, for web-gateway on the host. */
export async function withDatabases(body: (env: Record<string, string>) => Promise<void>): Promise<void> {
  const name = `bench-${process.pid}`;
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  await docker(['run', '-d', '--rm', '--name', `${name}-db`, '-p', `127.0.0.1:${pgPort}:5432`,
    '-e', 'POSTGRES_PASSWORD=bench', '-e', 'POSTGRES_USER=bench', '-e', 'POSTGRES_DB=bench', 'postgres:17']);
  await docker(['run', '-d', '--rm', '--name', `${name}-cache`, '-p', `127.0.0.1:${redisPort}:6379`, 'redis:7']);
  try {
    await waitFor('PostgreSQL pronto', () => docker(['exec', `${name}-db`, 'pg_isready', '-U', 'bench', '-d', 'bench']).then(() => true), { timeoutMs: 60_000, intervalMs: 250 });
    await body({
      POSTGRES_HOST: '127.0.0.1', POSTGRES_PORT: String(pgPort), POSTGRES_DB: 'bench', POSTGRES_USER: 'bench',
      POSTGRES_PASSWORD: 'bench', REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort),
    });
  } finally {
    await docker(['rm', '-f', `${name}-db`, `${name}-cache`]).catch(() => undefined);
  }
}

export async function webGateway(env: Record<string, string>): Promise<void> {
  const gateway = await serve((port) => startApp('web-gateway', { ...env, HOST: '127.0.0.1', PORT: String(port) }, measured), '/health/ready');
  await wrk(local(gateway.port), 20); // warm-up, discarded
  const result = await wrk(local(gateway.port), 20);
  const mem = await memory(gateway.app);
  await gateway.app.stop();
  record('web-gateway GET / (PostgreSQL + Redis reais)', 'req/s e p99 a 20 conexões', `${result.rps} req/s, p99 ${result.p99} ms`, 'p99 ≤ 25 ms', result.p99 <= 25 && result.non2xx === 0, { measured: result });
  recordMemory('web-gateway', mem);
}

/** Spawn → /health/live 200, median of 5, for each HTTP app beside a bare node:http server. */
export async function startup(env: Record<string, string>): Promise<void> {
  const probe = async (start: (port: number) => AppProcess) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { app, ms } = await serve(start);
      times.push(ms);
      await app.stop();
    }
    return round(median(times), 0);
  };
  const bareScript = join(tmpdir(), `bench-bare-${process.pid}.mjs`);
  writeFileSync(bareScript, "import { createServer } from 'node:http';\ncreateServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n");
  const bare = await probe((port) => startScript(bareScript, { PORT: String(port) }, quiet));
  rmSync(bareScript);
  const apps: Record<string, Record<string, string>> = {
    'greeting-server': {},
    'users-service': {},
    'users-consumer': { USERS_SERVICE_URL: 'http://127.0.0.1:9' },
    'web-gateway': env,
  };
  for (const [name, extraEnv] of Object.entries(apps)) {
    const ms = await probe((port) => startApp(name, { ...extraEnv, HOST: '127.0.0.1', PORT: String(port) }, quiet));
    record(`${name} partida`, 'spawn → /health/live 200, mediana de 5', `${ms} ms (node puro: ${bare} ms)`, '≤ 600 ms', ms <= 600);
  }
}
