// `npx nx run bench:all`: every measurement of the benchmarks issue, side by side with its baseline,
// in one run on this machine. Writes docs/benchmarks.md and docs/benchmarks.json.
// All traffic goes to 127.0.0.1; every load run and every wait is bounded in time.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const BASELINES = join(import.meta.dirname, 'baselines');
const DURATION = process.env.BENCH_DURATION ?? '10s';
const ROUNDS = 3;
const ROUND_DURATION = process.env.BENCH_ROUND_DURATION ?? '5s';
const results = [];
const children = new Set();

// ---------------------------------------------------------------------------------------- helpers
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let nextPort = 18100;
const port = () => nextPort++;

function start(script, env, args = []) {
  const child = spawn(process.execPath, [...args, script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  child.stderrText = () => stderr;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(3000).then(() => child.kill('SIGKILL'))]);
}

async function waitHttp(url, child, timeoutMs = 30_000) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child && child.exitCode !== null) throw new Error(`${url}: process exited: ${child.stderrText()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return performance.now() - started;
    } catch {
      // not up yet
    }
    await sleep(5);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

const app = (name) => join(ROOT, 'dist/apps', name, 'main.js');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function rssMb(child) {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

const HEAP_PROBE = ['--expose-gc', '-r', join(import.meta.dirname, 'heap-probe.cjs')];

/** RSS as the app is after the load, then its live heap once garbage is collected (heap-probe.cjs). */
async function memory(child) {
  const rss = rssMb(child);
  const reports = () => [...child.stderrText().matchAll(/heap-probe (\{.*\})/g)];
  const before = reports().length;
  child.kill('SIGUSR2');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const found = reports();
    if (found.length > before) {
      const probe = JSON.parse(found.at(-1)[1]);
      return { rss, liveHeap: round(probe.heapUsedAfter / 2 ** 20), rssAfterGc: round(probe.rssAfter / 2 ** 20) };
    }
    await sleep(50);
  }
  return { rss, liveHeap: null, rssAfterGc: null };
}

function recordMemory(name, mem) {
  const detail = mem.liveHeap === null ? '' : ` (heap vivo depois de um GC: ${mem.liveHeap} MB)`;
  record(name, 'RSS depois da carga', `${mem.rss} MB${detail}`, '≤ 120 MB', mem.rss <= 120, { memory: mem });
}

function parseLatencyMs(text) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  const factor = { us: 0.001, ms: 1, s: 1000 }[match[2]];
  return Number(match[1]) * factor;
}

/** wrk with one thread (the server gets the other core), fixed connections and duration. */
async function load(url, connections, duration = DURATION) {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${duration}`, '--latency', '--timeout', '5s', url], {
    timeout: 120_000,
  });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  const p99 = parseLatencyMs(/^\s+99%\s+(\S+)/m.exec(stdout)[1]);
  const p50 = parseLatencyMs(/^\s+50%\s+(\S+)/m.exec(stdout)[1]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? '0';
  const socketErrors = /Socket errors: (.*)/.exec(stdout)?.[1] ?? 'none';
  return { rps: round(rps, 0), p50, p99: round(p99, 2), non2xx: Number(errors), socketErrors };
}

/**
 * Service and baseline measured in alternating rounds (baseline, service, baseline, …), the
 * median of each kept: on a shared machine the speed drifts within a minute, and a single
 * back-to-back pair could put a fast minute on one side and a slow one on the other.
 */
async function compare(baselineUrl, serviceUrl, connections) {
  await load(baselineUrl, connections, '3s'); // warm-up runs, discarded
  await load(serviceUrl, connections, '3s');
  const runs = { baseline: [], service: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    runs.baseline.push(await load(baselineUrl, connections, ROUND_DURATION));
    runs.service.push(await load(serviceUrl, connections, ROUND_DURATION));
  }
  const summary = (list) => ({ rps: median(list.map((r) => r.rps)), p99: median(list.map((r) => r.p99)),
    non2xx: list.reduce((sum, r) => sum + r.non2xx, 0), rounds: list });
  return { baseline: summary(runs.baseline), measured: summary(runs.service) };
}

function record(what, measure, value, target, met, detail = {}) {
  results.push({ what, measure, value, target, met, ...detail });
  console.log(`${met ? 'MET   ' : 'MISSED'}  ${what} — ${measure}: ${value} (meta ${target})`);
}

async function docker(args, timeoutMs = 120_000) {
  const { stdout } = await run('docker', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

// ------------------------------------------------------------------------------- measurements
async function greeting() {
  const rawPort = port();
  const appPort = port();
  const raw = start(join(BASELINES, 'greeting.mjs'), { PORT: String(rawPort) });
  const server = start(app('greeting-server'), { PORT: String(appPort) }, HEAP_PROBE);
  await waitHttp(`http://127.0.0.1:${rawPort}/`, raw);
  await waitHttp(`http://127.0.0.1:${appPort}/health/live`, server);
  const { baseline, measured } = await compare(`http://127.0.0.1:${rawPort}/`, `http://127.0.0.1:${appPort}/`, 50);
  const mem = await memory(server);
  await Promise.all([stop(raw), stop(server)]);

  const ratio = round(measured.rps / baseline.rps, 2);
  record('greeting-server', 'req/s a 50 conexões vs node:http puro', `${measured.rps} vs ${baseline.rps} (${ratio}×)`, '≥ 0.8×', ratio >= 0.8, { measured, baseline });
  record('greeting-server', 'p99 a 50 conexões', `${measured.p99} ms`, '≤ 5 ms', measured.p99 <= 5);
  recordMemory('greeting-server', mem);
}

async function users() {
  const upstreamPort = port();
  const proxyPort = port();
  const servicePort = port();
  const consumerPort = port();
  const upstream = start(join(BASELINES, 'users-upstream.mjs'), { PORT: String(upstreamPort) });
  const proxy = start(join(BASELINES, 'users-proxy.mjs'), { PORT: String(proxyPort), UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}` });
  const service = start(app('users-service'), { PORT: String(servicePort) }, HEAP_PROBE);
  await waitHttp(`http://127.0.0.1:${proxyPort}/`, proxy);
  await waitHttp(`http://127.0.0.1:${servicePort}/health/live`, service);
  const consumer = start(app('users-consumer'), { PORT: String(consumerPort), USERS_SERVICE_URL: `http://127.0.0.1:${servicePort}` }, HEAP_PROBE);
  await waitHttp(`http://127.0.0.1:${consumerPort}/health/ready`, consumer);
  const { baseline, measured } = await compare(`http://127.0.0.1:${proxyPort}/`, `http://127.0.0.1:${consumerPort}/`, 50);
  const mem = { consumer: await memory(consumer), service: await memory(service) };
  await Promise.all([stop(proxy), stop(upstream), stop(consumer), stop(service)]);

  const ratio = round(measured.rps / baseline.rps, 2);
  record('users-consumer → users-service', 'req/s a 50 conexões vs par node:http puro', `${measured.rps} vs ${baseline.rps} (${ratio}×)`, '≥ 0.5×', ratio >= 0.5, { measured, baseline });
  record('users-consumer → users-service', 'p99 a 50 conexões', `${measured.p99} ms`, '≤ 15 ms', measured.p99 <= 15 && measured.non2xx === 0);
  recordMemory('users-consumer', mem.consumer);
  recordMemory('users-service', mem.service);
}

/** PostgreSQL 17 and Redis 7 in containers published on loopback, for web-gateway on the host. */
async function withDatabases(body) {
  const name = `bench-${process.pid}`;
  const pgPort = port();
  const redisPort = port();
  await docker(['run', '-d', '--rm', '--name', `${name}-db`, '-p', `127.0.0.1:${pgPort}:5432`,
    '-e', 'POSTGRES_PASSWORD=bench', '-e', 'POSTGRES_USER=bench', '-e', 'POSTGRES_DB=bench', 'postgres:17']);
  await docker(['run', '-d', '--rm', '--name', `${name}-cache`, '-p', `127.0.0.1:${redisPort}:6379`, 'redis:7']);
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const ready = await docker(['exec', `${name}-db`, 'pg_isready', '-U', 'bench', '-d', 'bench']).then(() => true, () => false);
      if (ready) break;
      await sleep(250);
    }
    await body({
      POSTGRES_HOST: '127.0.0.1', POSTGRES_PORT: String(pgPort), POSTGRES_DB: 'bench', POSTGRES_USER: 'bench',
      POSTGRES_PASSWORD: 'bench', REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort),
    });
  } finally {
    await docker(['rm', '-f', `${name}-db`, `${name}-cache`]).catch(() => undefined);
  }
}

async function webGateway(env) {
  const appPort = port();
  const gateway = start(app('web-gateway'), { ...env, PORT: String(appPort) }, HEAP_PROBE);
  await waitHttp(`http://127.0.0.1:${appPort}/health/ready`, gateway);
  await load(`http://127.0.0.1:${appPort}/`, 20);
  const measured = await load(`http://127.0.0.1:${appPort}/`, 20);
  const mem = await memory(gateway);
  await stop(gateway);
  record('web-gateway GET / (PostgreSQL + Redis reais)', 'req/s e p99 a 20 conexões', `${measured.rps} req/s, p99 ${measured.p99} ms`, 'p99 ≤ 25 ms', measured.p99 <= 25 && measured.non2xx === 0, { measured });
  recordMemory('web-gateway', mem);
}

async function startup(env) {
  const probe = async (script, extraEnv) => {
    const times = [];
    for (let i = 0; i < 5; i += 1) {
      const p = port();
      const started = performance.now();
      const child = start(script, { ...extraEnv, PORT: String(p) }, script === '-e' ? [] : []);
      await waitHttp(`http://127.0.0.1:${p}/health/live`, child);
      times.push(performance.now() - started);
      await stop(child);
    }
    return round(median(times), 0);
  };
  const bareScript = join(tmpdir(), `bench-bare-${process.pid}.mjs`);
  writeFileSync(bareScript, "import { createServer } from 'node:http';\ncreateServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n");
  const bare = await probe(bareScript, {});
  rmSync(bareScript);
  const apps = {
    'greeting-server': {},
    'users-service': {},
    'users-consumer': { USERS_SERVICE_URL: 'http://127.0.0.1:9' },
    'web-gateway': env,
  };
  for (const [name, extraEnv] of Object.entries(apps)) {
    const ms = await probe(app(name), extraEnv);
    record(`${name} partida`, 'spawn → /health/live 200, mediana de 5', `${ms} ms (node puro: ${bare} ms)`, '≤ 600 ms', ms <= 600);
  }
}

async function sqlitePersister() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
  const dbPath = join(dir, 'meubanco.db');
  const once = () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const child = start(app('sqlite-persister'), { DB_PATH: dbPath, MESSAGE: 'bench' });
      child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`exit ${code}: ${child.stderrText()}`))));
    });
  const times = [];
  for (let i = 0; i < 5; i += 1) times.push(await once());
  const single = round(median(times), 0);
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, once));
  const concurrentMs = round(performance.now() - started, 0);
  const { stdout } = await run(process.execPath, ['-e',
    `const D=require('better-sqlite3');const d=new D(${JSON.stringify(dbPath)},{readonly:true});process.stdout.write(String(d.prepare('select count(*) n from registros').get().n))`], { cwd: ROOT });
  // Written as a string: under Nx, FORCE_COLOR makes console.log color a number.
  const counted = /^(\d+)$/.exec(stdout.trim());
  if (!counted) throw new Error(`sqlite-persister: contagem ilegível: ${JSON.stringify(stdout.slice(-500))}`);
  const rows = Number(counted[1]) - 5;
  rmSync(dir, { recursive: true, force: true });
  record('sqlite-persister', 'spawn → exit, mediana de 5', `${single} ms`, '≤ 1 s', single <= 1000);
  record('sqlite-persister', '10 execuções simultâneas', `${rows} linhas novas em ${concurrentMs} ms`, '10 linhas', rows === 10);
}

async function images() {
  const base = Number(await docker(['image', 'inspect', '--format', '{{.Size}}', 'node:24-bookworm-slim']));
  for (const name of ['greeting-server', 'curl-client', 'sqlite-persister', 'web-gateway', 'users-service', 'users-consumer']) {
    const size = Number(await docker(['image', 'inspect', '--format', '{{.Size}}', `desafios/${name}:latest`]));
    const own = round((size - base) / 1e6);
    record(`imagem ${name}`, 'camadas próprias sobre node:24-bookworm-slim', `${own} MB`, '≤ 40 MB', own <= 40);
  }
}

async function composeColdStart() {
  const compose = (...args) => run('docker', ['compose', '-p', 'desafios-bench', ...args], {
    cwd: ROOT, timeout: 180_000, env: { ...process.env, WEB_PORT: String(port()) },
  });
  await compose('--profile', 'desafio3', 'down', '-v', '--remove-orphans');
  const started = performance.now();
  await compose('--profile', 'desafio3', 'up', '-d', '--wait', '--no-build');
  const seconds = round((performance.now() - started) / 1000);
  await compose('--profile', 'desafio3', 'down', '-v', '--remove-orphans');
  record('compose desafio3', '`up --wait` a frio, imagens prontas', `${seconds} s`, '≤ 20 s', seconds <= 20);
}

// ----------------------------------------------------------------------------------------- report
async function machine() {
  const dockerVersion = await docker(['version', '--format', '{{.Server.Version}}']).catch(() => 'n/d');
  const { stdout: wrkVersion } = await run('wrk', ['--version']).catch((error) => ({ stdout: error.stdout ?? '' }));
  return {
    date: new Date().toISOString(),
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
    memory: `${round(totalmem() / 2 ** 30)} GiB`,
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAtStart: loadavg().map((value) => round(value, 2)).join(' / '),
    docker: dockerVersion,
    generator: `${wrkVersion.split('\n')[0].trim()} (-t1; serviço e linha de base em ${ROUNDS} rodadas alternadas de ${ROUND_DURATION}, mediana de cada, depois de um aquecimento descartado; web-gateway: ${DURATION})`,
  };
}

function writeReport(info) {
  info.loadAtEnd = loadavg().map((value) => round(value, 2)).join(' / ');
  const rows = results.map((r) => `| ${r.what} | ${r.measure} | ${r.value} | ${r.target} | ${r.met ? 'atingida' : '**não atingida**'} |`);
  const markdown = `# Benchmarks

Gerado por \`npx nx run bench:all\` em ${info.date}. Mesma ferramenta e mesmos parâmetros para cada
serviço e sua linha de base, na mesma execução.

Máquina: ${info.cpu}, ${info.memory}, ${info.os}; Node ${info.node}; Docker ${info.docker}.
Carga da máquina (loadavg 1/5/15 min) no início: ${info.loadAtStart}; no fim: ${info.loadAtEnd}.
Gerador de carga: ${info.generator}.

| o quê | medida | valor | meta | resultado |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Números brutos: [benchmarks.json](benchmarks.json).
`;
  const analysisFile = join(ROOT, 'docs/benchmarks-analysis.md');
  let analysis = '';
  try {
    analysis = `\n${readFileSync(analysisFile, 'utf8')}`;
  } catch {
    // no analysis written yet
  }
  writeFileSync(join(ROOT, 'docs/benchmarks.md'), markdown + analysis);
  writeFileSync(join(ROOT, 'docs/benchmarks.json'), `${JSON.stringify({ machine: info, results }, null, 2)}\n`);
}

async function main() {
  await run('wrk', ['--version']).catch((error) => {
    if (error.code === 'ENOENT') throw new Error('wrk não encontrado: apt-get install wrk');
  });
  const info = await machine();
  console.log(`bench: ${info.cpu}, Node ${info.node}, ${DURATION} por medida`);
  // BENCH_ONLY=greeting,users,... runs a subset and prints it without rewriting docs/.
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (name) => !only || only.includes(name);
  if (wanted('greeting')) await greeting();
  if (wanted('users')) await users();
  if (wanted('web-gateway') || wanted('startup')) {
    await withDatabases(async (env) => {
      if (wanted('web-gateway')) await webGateway(env);
      if (wanted('startup')) await startup(env);
    });
  }
  if (wanted('sqlite')) await sqlitePersister();
  if (wanted('images')) await images();
  if (wanted('compose')) await composeColdStart();
  if (only) return;
  writeReport(info);
  console.log('\nescrito: docs/benchmarks.md, docs/benchmarks.json');
}

const timeout = setTimeout(() => {
  console.error('bench: passou de 9 minutos, abortando');
  process.exit(1);
}, 9 * 60_000);

main()
  .catch((error) => {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    clearTimeout(timeout);
    await Promise.all([...children].map(stop));
  });
