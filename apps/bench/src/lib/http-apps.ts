/**
 * The HTTP apps as deployed: each from its image beside its baselines in the same base image, on
 * the bench's network (stack.ts). Throughput and p99 in alternating rounds, the curves, and memory
 * inside the containers. Start-up is timed on host processes (spawn → /health/live).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort, startApp, startScript, untilServing, WORKSPACE_ROOT } from '@desafios/testing';
import { composeEnvironment, imageEnvironment } from './environments';
import { containerMemory, BenchStack, LIMITS, RunOptions, Service } from './stack';
import { memoryRuns, recordMemory } from './memory';
import { record, recordCurves } from './report';
import { median, round } from './stats';
import { ROUND_DURATION } from './settings';
import { curves, rounds, Summary, wrk } from './wrk';

const quiet = { discardStdout: true };
const local = (port: number, path = '/') => `http://127.0.0.1:${port}${path}`;
/** The port every app and baseline listens on inside its container. */
export const PORT = 8080;
export const image = (app: string) => `desafios/${app}:latest`;

const ratio = (a: Summary, b: Summary) => round(a.rps / b.rps, 2);

/** A setting of the image or of compose, and the same image started without it. */
interface Setting {
  /** How the row names it, e.g. "--max-semi-space-size=4 (NODE_OPTIONS do compose)". */
  name: string;
  /** What the comparison runs with instead, e.g. "os padrões do V8". */
  defaults: string;
  /** The container's role suffix and the options that leave the setting out. */
  role: string;
  without: RunOptions;
}

/**
 * What a setting does: the running app against the same image without it, in alternating rounds,
 * and the RSS of both afterwards.
 */
async function settingRow(stack: BenchStack, subject: string, setting: Setting, app: Service, image: string, readyPath: string, connections: number): Promise<void> {
  const plain = await stack.http(`${subject}-${setting.role}`, image, PORT, readyPath, setting.without);
  const result = await rounds({ plain: plain.url(), app: app.url() }, connections);
  const [withIt, without] = [await containerMemory(app.name), await containerMemory(plain.name)];
  record(`${subject}: ${setting.name}`, `req/s e p99 a ${connections} conexões e RSS, vs a mesma imagem com ${setting.defaults}`,
    `${result.app.rps} vs ${result.plain.rps} req/s (${ratio(result.app, result.plain)}×); p99 ${result.app.p99} vs ${result.plain.p99} ms; RSS ${withIt.rss} vs ${without.rss} MB`,
    '—', null, { rounds: result });
  await stack.remove(plain);
}

/** The V8 flags docker-compose.yml gives an app (NODE_OPTIONS) against V8's defaults. */
async function v8FlagsRow(stack: BenchStack, subject: string, app: Service, image: string, readyPath: string, options: RunOptions, connections: number): Promise<void> {
  const flags = (await composeEnvironment(image)).NODE_OPTIONS;
  if (!flags) return;
  const setting = { name: `${flags} (NODE_OPTIONS do compose)`, defaults: 'os padrões do V8', role: 'v8-defaults', without: { ...options, v8Defaults: true } };
  await settingRow(stack, subject, setting, app, image, readyPath, connections);
}

/** The image's malloc setting (GLIBC_TUNABLES, docker/Dockerfile) against glibc's defaults (the variable empty). */
async function mallocRow(stack: BenchStack, subject: string, app: Service, image: string, readyPath: string, options: RunOptions, connections: number): Promise<void> {
  const tunables = (await imageEnvironment(image)).GLIBC_TUNABLES;
  if (!tunables) return;
  const without = { ...options, env: { ...options.env, GLIBC_TUNABLES: '' } };
  const setting = { name: `GLIBC_TUNABLES=${tunables} (ENV da imagem)`, defaults: 'o malloc padrão da glibc', role: 'glibc-defaults', without };
  await settingRow(stack, subject, setting, app, image, readyPath, connections);
}

export async function greeting(stack: BenchStack): Promise<void> {
  const raw = await stack.baseline('greeting-raw', 'greeting.mjs', PORT);
  const equal = await stack.baseline('greeting-equal', 'greeting-headers.mjs', PORT);
  const app = await stack.http('greeting-server', image('greeting-server'), PORT, '/health/live');
  const unquoted = await stack.http('greeting-no-quota', image('greeting-server'), PORT, '/health/live', { cpu: 'none' });
  const longPeriod = await stack.http('greeting-cpus', image('greeting-server'), PORT, '/health/live', { cpu: 'cpus' });
  const result = await rounds({ raw: raw.url(), equal: equal.url(), app: app.url(), unquoted: unquoted.url(), longPeriod: longPeriod.url() }, 50);
  const toEqual = ratio(result.app, result.equal);
  record('greeting-server', 'req/s a 50 conexões vs node:http com os mesmos cabeçalhos (e vs node:http puro)',
    `${result.app.rps} vs ${result.equal.rps} (${toEqual}×); puro ${result.raw.rps} (${ratio(result.app, result.raw)}×)`,
    '≥ 0.85× do equivalente', toEqual >= 0.85, { rounds: result });
  record('greeting-server', 'p99 a 50 conexões', `${result.app.p99} ms (equivalente ${result.equal.p99} ms)`, '≤ 5 ms', result.app.p99 <= 5);
  record('greeting-server: a cota de CPU', `req/s e p99 a 50 conexões: ${LIMITS.label} (compose) vs \`cpus: 1.0\` (período de 100 ms) vs sem cota`,
    `${result.app.rps} vs ${result.longPeriod.rps} vs ${result.unquoted.rps} req/s; p99 ${result.app.p99} vs ${result.longPeriod.p99} vs ${result.unquoted.p99} ms`, '—', null);
  await stack.remove(unquoted, longPeriod);
  await mallocRow(stack, 'greeting-server', app, image('greeting-server'), '/health/live', {}, 50);
  const rawMemory = await containerMemory(raw.name);
  recordMemory('greeting-server', (await memoryRuns(app, 50))[0], `; node:http puro no mesmo container: RSS ${rawMemory.rss} MB (${rawMemory.rssAnon} anônima + ${rawMemory.rssFile} arquivos)`);
  recordCurves('greeting-server', await curves({ 'greeting-server': app.url(), 'node:http, mesmos cabeçalhos': equal.url() }));
  await stack.remove(raw, equal, app);
}

/** users-consumer → users-service from their images, beside the raw node:http pair (proxy → upstream). */
export async function usersPaths(stack: BenchStack, consumerOptions: RunOptions = {}): Promise<{ rawUpstream: Service; rawPair: Service; service: Service; consumer: Service }> {
  const rawUpstream = await stack.baseline('users-raw-upstream', 'users-upstream.mjs', PORT);
  const rawPair = await stack.baseline('users-raw-proxy', 'users-proxy.mjs', PORT, { env: { UPSTREAM_URL: `http://users-raw-upstream:${PORT}` } });
  const service = await stack.http('users-service', image('users-service'), PORT, '/health/live');
  const consumer = await stack.http('users-consumer', image('users-consumer'), PORT, '/health/ready', {
    ...consumerOptions,
    env: { USERS_SERVICE_URL: `http://users-service:${PORT}`, ...consumerOptions.env },
  });
  return { rawUpstream, rawPair, service, consumer };
}

export async function users(stack: BenchStack): Promise<void> {
  const { rawUpstream, rawPair, service, consumer } = await usersPaths(stack);
  const result = await rounds({ raw: rawPair.url(), app: consumer.url() }, 50);
  const toRaw = ratio(result.app, result.raw);
  record('users-consumer → users-service', 'req/s a 50 conexões vs par node:http puro', `${result.app.rps} vs ${result.raw.rps} (${toRaw}×)`,
    '≥ 0.6×', toRaw >= 0.6, { rounds: result });
  record('users-consumer → users-service', 'p99 a 50 conexões', `${result.app.p99} ms (par puro ${result.raw.p99} ms)`, '≤ 15 ms',
    result.app.p99 <= 15 && result.app.non2xx === 0);
  // users-service serves every page of the consumer's runs: read both after each.
  const [consumerMemory, serviceMemory] = await memoryRuns(consumer, 50, [consumer, service]);
  recordMemory('users-consumer', consumerMemory);
  recordMemory('users-service', serviceMemory);
  // Before the curves: after 1,000 connections the app holds more memory than the fresh image beside it.
  await v8FlagsRow(stack, 'users-consumer', consumer, image('users-consumer'), '/health/ready', { env: { USERS_SERVICE_URL: `http://users-service:${PORT}` } }, 50);
  await mallocRow(stack, 'users-consumer', consumer, image('users-consumer'), '/health/ready', { env: { USERS_SERVICE_URL: `http://users-service:${PORT}` } }, 50);
  recordCurves('users-consumer → users-service', await curves({ 'users-consumer → users-service': consumer.url(), 'par node:http puro': rawPair.url() }));

  // The same consumer image against an upstream that lists ten times as many users.
  await stack.remove(rawUpstream, rawPair, consumer);
  const upstream10x = await stack.baseline('users-upstream-10x', 'users-upstream.mjs', PORT, { env: { USERS_REPEAT: '10' } });
  const consumer10x = await stack.http('users-consumer-10x', image('users-consumer'), PORT, '/health/ready', {
    env: { USERS_SERVICE_URL: `http://users-upstream-10x:${PORT}` },
  });
  const tenfold = await wrk(consumer10x.url(), 50, ROUND_DURATION);
  recordMemory('users-consumer, lista de usuários 10×', (await memoryRuns(consumer10x, 50))[0], `; ${tenfold.rps} req/s a 50 conexões com a lista 10×`);
  await stack.remove(upstream10x, consumer10x, service);
}

/** The difference is a few percent and this machine drifts ±10 % within a minute: 8 rounds, not 3. */
const METRICS_ROUNDS = 8;

/**
 * What the metrics cost (GET /metrics, the request histogram, the runtime collectors): the same
 * image with METRICS_ENABLED=false as the baseline, in alternating rounds. Nothing scrapes.
 */
export async function metricsCost(stack: BenchStack): Promise<void> {
  const row = (subject: string, result: { off: Summary; on: Summary }) => {
    const cost = round(result.on.rps / result.off.rps, 3);
    record(subject, 'req/s a 50 conexões com métricas vs METRICS_ENABLED=false',
      `${result.on.rps} vs ${result.off.rps} (${cost}×; p99 ${result.on.p99} vs ${result.off.p99} ms)`, '≥ 0.95×', cost >= 0.95, { rounds: result });
  };
  const off = { env: { METRICS_ENABLED: 'false' } };
  const greetingOn = await stack.http('metrics-greeting-on', image('greeting-server'), PORT, '/health/live');
  const greetingOff = await stack.http('metrics-greeting-off', image('greeting-server'), PORT, '/health/live', off);
  row('greeting-server: custo das métricas', await rounds({ off: greetingOff.url(), on: greetingOn.url() }, 50, METRICS_ROUNDS));
  await stack.remove(greetingOn, greetingOff);

  const service = await stack.http('users-service', image('users-service'), PORT, '/health/live');
  const upstream = { USERS_SERVICE_URL: `http://users-service:${PORT}` };
  const consumerOn = await stack.http('metrics-consumer-on', image('users-consumer'), PORT, '/health/ready', { env: upstream });
  const consumerOff = await stack.http('metrics-consumer-off', image('users-consumer'), PORT, '/health/ready', { env: { ...upstream, ...off.env } });
  row('users-consumer: custo das métricas', await rounds({ off: consumerOff.url(), on: consumerOn.url() }, 50, METRICS_ROUNDS));
  await stack.remove(consumerOn, consumerOff, service);
}

const DB_ENV = { POSTGRES_DB: 'bench', POSTGRES_USER: 'bench', POSTGRES_PASSWORD: 'bench' };

/** PostgreSQL 17 and Redis 7 on the bench network, as db and cache, for web-gateway and its baseline. */
export async function databases(stack: BenchStack): Promise<Record<string, string>> {
  const db = await stack.run('db', 'postgres:17', { env: DB_ENV });
  await stack.run('cache', 'redis:7');
  await stack.until('PostgreSQL pronto', () => stack.exec(db, ['pg_isready', '-U', 'bench', '-d', 'bench', '-h', '127.0.0.1']));
  return { ...DB_ENV, POSTGRES_HOST: 'db', REDIS_HOST: 'cache' };
}

export async function webGateway(stack: BenchStack, env: Record<string, string>): Promise<void> {
  // The gateway first: its migration creates the visit counter that the baseline increments too.
  const app = await stack.http('web-gateway', image('web-gateway'), PORT, '/health/ready', { env });
  const equal = await stack.baseline('gateway-equal', 'gateway.mjs', PORT, { env, nodeModules: true });
  const result = await rounds({ equal: equal.url(), app: app.url() }, 20);
  const toEqual = ratio(result.app, result.equal);
  record('web-gateway GET / (PostgreSQL + Redis reais)', 'req/s a 20 conexões vs node:http + pg + @redis/client fazendo o mesmo',
    `${result.app.rps} vs ${result.equal.rps} (${toEqual}×)`, '≥ 0.6×', toEqual >= 0.6, { rounds: result });
  record('web-gateway GET / (PostgreSQL + Redis reais)', 'p99 a 20 conexões', `${result.app.p99} ms (equivalente ${result.equal.p99} ms)`,
    '≤ 25 ms', result.app.p99 <= 25 && result.app.non2xx === 0);
  recordMemory('web-gateway', (await memoryRuns(app, 20))[0]);
  await v8FlagsRow(stack, 'web-gateway', app, image('web-gateway'), '/health/ready', { env }, 20);
  recordCurves('web-gateway GET /', await curves({ 'web-gateway': app.url(), 'node:http + pg + @redis/client': equal.url() }));
  await stack.remove(app, equal);
}

/** Starts a host process on a free port and waits for its first 200; `ms` is the time from spawn to it. */
async function serve(start: (port: number) => AppProcess, path = '/health/live'): Promise<{ app: AppProcess; port: number; ms: number }> {
  const port = await freePort();
  const started = performance.now();
  const app = start(port);
  await untilServing(app, local(port, path), 30_000);
  return { app, port, ms: performance.now() - started };
}

/**
 * Spawn → /health/live 200, median of 5, for each HTTP app (the built bundle as a host process)
 * beside a bare node:http server. The gateway's databases: `env`, reachable from this host.
 */
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
    const cache = compileCache(name);
    const env = { ...extraEnv, HOST: '127.0.0.1' };
    const cold = await probe((port) => startApp(name, { ...env, PORT: String(port) }, quiet));
    const ms = await probe((port) => startApp(name, { ...env, PORT: String(port), NODE_COMPILE_CACHE: cache }, quiet));
    rmSync(cache, { recursive: true, force: true });
    record(`${name} partida`, 'spawn → /health/live 200, mediana de 5, com o cache de compilação que a imagem leva',
      `${ms} ms (sem o cache: ${cold} ms; node puro: ${bare} ms)`, '≤ 600 ms', ms <= 600);
  }
}

/** V8's compile cache of an app's bundle, made as docker/Dockerfile makes the image's: load the bundle, exit. */
function compileCache(app: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bench-compile-cache-${app}-`));
  execFileSync(process.execPath, ['-e', "require('./main.js'); process.exit(0)"], {
    cwd: join(WORKSPACE_ROOT, 'dist/apps', app),
    // node is process.execPath: no PATH needed, only the cache's variable.
    env: { NODE_COMPILE_CACHE: dir },
    stdio: 'ignore',
    timeout: 30_000,
  });
  return dir;
}
