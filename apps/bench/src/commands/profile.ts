// `npx nx run bench:profile`: where each HTTP app's CPU and allocations go, measured as deployed.
// Each app runs from its image with compose's limits beside the baseline the bench compares it to
// (stack.ts); for each it writes to docs/profiles.md:
// - CPU per request of every Node process on the path (utime + stime of the whole process, all
//   threads, over one wrk run), the app's and the baseline's, with no profiler attached;
// - a CPU profile of the app under the same load, through V8's inspector, as self time per package
//   (native and Node-core frames counted to the package that called them), source-mapped with the
//   maps the image carries;
// - bytes allocated per request (V8's sampling heap profiler, objects already collected included),
//   per package: what the garbage collector's share comes from.
// The profiler slows the app down; the shares are what it is for, the µs come from the run without it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { docker } from '../../e2e/src/support/compose';
import { WORKSPACE_ROOT } from '../../e2e/src/support/processes';
import { databases, image, PORT, usersPaths } from './http-apps';
import { machine, machineHeader, round } from './report';
import { BenchStack, containerCpu, INSPECTOR_PORT, LIMITS, runOnStack, Service } from './stack';
import { wrk } from './wrk';

const PROFILE_SECONDS = 8;
/** Where the raw profiles go (outside git). */
const RAW_DIR = join(WORKSPACE_ROOT, 'dist/bench/profiles');
const CPU_RUN = '5s';
const LIMIT_MINUTES = 8;

/** An app and its baseline, started on the stack; appPath and baselinePath name every Node process on each path (their CPU per request is shown side by side). */
interface Subject {
  title: string;
  connections: number;
  app: Service;
  appPath: Record<string, Service>;
  baseline: Service;
  baselinePath: Record<string, Service>;
  /** Containers besides wrk that share the other core: the upstreams, databases and caches. */
  peers: string[];
  /** The same app with a setting changed, for its CPU per request only (e.g. without metrics). */
  variants?: Record<string, Service>;
}

/**
 * The app and its baseline on one core, wrk and everything else on the other. V8's profiler samples
 * the main thread on a wall clock: when wrk, woken by a response, took the app's core, the samples
 * of that wait landed on the socket write that woke it (64 % of greeting-server's samples unpinned).
 */
async function pin(stack: BenchStack, subject: Subject): Promise<boolean> {
  if (cpus().length < 2) return false;
  const measured = [subject.app.name, subject.baseline.name, ...Object.values(subject.variants ?? {}).map((s) => s.name)];
  const others = [stack.generator as string, ...subject.peers, ...Object.values({ ...subject.appPath, ...subject.baselinePath }).map((s) => s.name).filter((name) => !measured.includes(name))];
  await docker(['update', '--cpuset-cpus', '1', ...measured]);
  await docker(['update', '--cpuset-cpus', '0', ...others]);
  return true;
}

// --- V8's inspector over the Chrome DevTools Protocol (the global WebSocket of Node ≥ 22) --------

class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id as number);
      if (message.error) waiter.reject(new Error(`inspector: ${message.error.message}`));
      else waiter.resolve(message.result);
    });
  }

  static async connect(service: Service): Promise<Inspector> {
    const address = new URL(service.hostUrl()).hostname;
    const targets = (await (await fetch(`http://${address}:${INSPECTOR_PORT}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const url = new URL(targets[0].webSocketDebuggerUrl);
    url.host = `${address}:${INSPECTOR_PORT}`;
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', () => reject(new Error(`inspector: sem conexão com ${url.href}`)), { once: true });
    });
    return new Inspector(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
  }

  close(): void {
    this.socket.close();
  }
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
}
interface SamplingNode {
  callFrame: CallFrame;
  selfSize: number;
  children: SamplingNode[];
}

// --- Source maps: which package a bundled frame came from -----------------------------------------

/** A bundle chunk in the image, as the CPU profile (file:///app/x.js) and the heap profile (/app/x.js) name it. */
const CHUNK = /^(?:file:\/\/)?\/app\/([\w.-]+\.js)$/;

/** Frames of /app/<chunk>.js, mapped to their original file with the maps copied out of the container. */
class Origins {
  private readonly maps = new Map<string, SourceMap | null>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'bench-maps-'));

  constructor(private readonly container: string) {}

  async load(profileUrls: Iterable<string>): Promise<void> {
    for (const url of profileUrls) {
      const chunk = CHUNK.exec(url)?.[1];
      if (!chunk || this.maps.has(chunk)) continue;
      const target = join(this.dir, `${chunk}.map`);
      const copied = await docker(['cp', `${this.container}:/app/${chunk}.map`, target]).then(() => true, () => false);
      this.maps.set(chunk, copied ? new SourceMap(JSON.parse(readFileSync(target, 'utf8'))) : null);
    }
  }

  /** The original file of a frame, e.g. "node_modules/axios/lib/core/mergeConfig.js:199", or undefined if not bundled. */
  source(frame: CallFrame): string | undefined {
    const chunk = CHUNK.exec(frame.url)?.[1];
    const map = chunk ? this.maps.get(chunk) : undefined;
    if (!map) return undefined;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    return `${entry.originalSource ?? chunk}:${(entry.originalLine ?? 0) + 1}`;
  }

  /** The same, short: "axios/lib/core/mergeConfig.js:199", "libs/server/src/lib/request-log.ts:31", "src/users/users.client.ts:122". */
  shortSource(frame: CallFrame): string | undefined {
    return this.source(frame)?.replace(/^.*node_modules\//, '').replace(/^webpack:\/\/[^/]*\//, '').replace(/^(\.\.?\/)+/, '');
  }

  /** The package a frame belongs to: an npm package, a workspace lib, the app itself, or undefined for Node and V8. */
  owner(frame: CallFrame): string | undefined {
    const source = this.source(frame);
    if (source === undefined) return /^(file:\/\/)?\/bench\//.test(frame.url) ? 'bench (sonda)' : undefined;
    const packages = [...source.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
    if (packages.length > 0) return (packages.at(-1) as RegExpMatchArray)[1];
    const lib = /libs\/([\w-]+)\//.exec(source)?.[1];
    if (lib) return `@desafios/${lib}`;
    if (source.startsWith('webpack/')) return 'runtime do webpack';
    // vendor.js holds npm packages only; a path outside node_modules there came from a package's
    // own source map pointing outside the package (typeorm's and @redis/client's do).
    if (CHUNK.exec(frame.url)?.[1] === 'vendor.js') return packageShippingMapOf(source.replace(/:\d+$/, '')) ?? 'npm (pacote não identificado)';
    return 'o próprio app';
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Node-core and native frames with no bundled caller: the HTTP parser's callbacks, timers, the event loop. */
const NO_CALLER = 'Node/nativo, sem chamador do app (parser HTTP, timers, laço de eventos)';

let shippedMaps: Map<string, string[]> | undefined;
const mapOwners = new Map<string, string | undefined>();

/**
 * The npm package whose shipped source map names `source` (e.g. "webpack:///../src/driver/postgres/
 * PostgresQueryRunner.ts" → typeorm): the workspace's node_modules, from which the image was built,
 * searched for a map of that file name that lists a source with the same path.
 */
function packageShippingMapOf(source: string): string | undefined {
  if (mapOwners.has(source)) return mapOwners.get(source);
  if (!shippedMaps) {
    shippedMaps = new Map();
    const found = execFileSync('find', [join(WORKSPACE_ROOT, 'node_modules'), '-name', '*.js.map'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const file of found.split('\n').filter(Boolean)) {
      const name = basename(file);
      shippedMaps.set(name, [...(shippedMaps.get(name) ?? []), file]);
    }
  }
  const tail = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^(\.\.?\/)+/, '');
  const stem = basename(tail).replace(/\.[^.]+$/, '');
  let owner: string | undefined;
  for (const file of shippedMaps.get(`${stem}.js.map`) ?? []) {
    const sources = (JSON.parse(readFileSync(file, 'utf8')) as { sources?: string[] }).sources ?? [];
    if (!sources.some((listed) => listed.replace(/^(\.\.?\/)+/, '').endsWith(tail))) continue;
    owner = ([...file.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(-1) as RegExpMatchArray)[1];
    break;
  }
  mapOwners.set(source, owner);
  return owner;
}

/** V8's own entries, not frames of any code. */
const V8_ENTRIES: Record<string, string> = {
  '(garbage collector)': 'coletor de lixo (thread principal)',
  '(idle)': 'ocioso (esperando I/O)',
  '(program)': 'V8 e Node fora de JS (compilação, runtime)',
  '(root)': 'V8 e Node fora de JS (compilação, runtime)',
};

/**
 * Self time per owner: a bundled frame counts to its package; a Node-core or native frame counts to
 * the nearest bundled caller ("fastify → Node/nativo"), so a socket write lands on whoever wrote.
 */
function cpuShares(profile: CpuProfile, origins: Origins): { owners: Map<string, number>; functions: Map<string, number>; total: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const cached = ownerOf.get(id);
    if (cached !== undefined) return cached;
    const frame = (byId.get(id) as CpuProfile['nodes'][number]).callFrame;
    let owner = V8_ENTRIES[frame.functionName] && frame.url === '' ? V8_ENTRIES[frame.functionName] : origins.owner(frame);
    if (owner === undefined) {
      let up = parent.get(id);
      while (up !== undefined && origins.owner((byId.get(up) as CpuProfile['nodes'][number]).callFrame) === undefined) up = parent.get(up);
      owner = up === undefined ? NO_CALLER : `${origins.owner((byId.get(up) as CpuProfile['nodes'][number]).callFrame)} → Node/nativo`;
    }
    ownerOf.set(id, owner);
    return owner;
  };
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  // Each sample counts once, not by the wall time since the one before: that time also holds the
  // pauses of the CPU quota (the sampler thread stops with the rest of the container), which belong
  // to no function.
  for (const id of profile.samples) {
    total += 1;
    const owner = resolve(id);
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
    const name = frameName((byId.get(id) as CpuProfile['nodes'][number]).callFrame, origins);
    functions.set(name, (functions.get(name) ?? 0) + 1);
  }
  return { owners, functions, total };
}

/** Sampled bytes per owner, Node and native allocations counted to the nearest bundled caller. */
function allocationShares(head: SamplingNode, origins: Origins): { owners: Map<string, number>; functions: Map<string, number>; total: number } {
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode, caller: string | undefined) => {
    const own = origins.owner(node.callFrame);
    const owner = own ?? (caller === undefined ? NO_CALLER : `${caller} → Node/nativo`);
    if (node.selfSize > 0) {
      total += node.selfSize;
      owners.set(owner, (owners.get(owner) ?? 0) + node.selfSize);
      const name = frameName(node.callFrame, origins);
      functions.set(name, (functions.get(name) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, own ?? caller);
  };
  walk(head, undefined);
  return { owners, functions, total };
}

/** "mergeConfig axios/lib/core/mergeConfig.js:199", "query typeorm: src/driver/…", "writeUtf8String (nativa)". */
function frameName(frame: CallFrame, origins: Origins): string {
  let where = origins.shortSource(frame);
  const owner = origins.owner(frame);
  if (where !== undefined && owner !== undefined && CHUNK.exec(frame.url)?.[1] === 'vendor.js' && !where.startsWith(owner)) where = `${owner}: ${where}`;
  return `${frame.functionName || '(anônima)'} ${where ?? (frame.url ? `${frame.url}:${frame.lineNumber + 1}` : '(nativa)')}`;
}

/** Frames' script URLs, to copy only the maps the profile needs. */
function urlsOf(frames: CallFrame[]): Set<string> {
  return new Set(frames.map((frame) => frame.url));
}

function collectFrames(node: SamplingNode, into: CallFrame[] = []): CallFrame[] {
  into.push(node.callFrame);
  for (const child of node.children) collectFrames(child, into);
  return into;
}

const percent = (part: number, total: number) => `${round((100 * part) / total, 1)} %`;
const top = (shares: Map<string, number>, count: number) => [...shares].sort((a, b) => b[1] - a[1]).slice(0, count);

/** µs of CPU per answered request for each Node process of a path, over one wrk run of CPU_RUN. */
async function cpuPerRequest(entry: Service, path: Record<string, Service>, connections: number): Promise<{ rps: number; perProcess: Record<string, { user: number; system: number }> }> {
  const before = Object.fromEntries(await Promise.all(Object.entries(path).map(async ([name, s]) => [name, await containerCpu(s.name)] as const)));
  const run = await wrk(entry.url(), connections, CPU_RUN);
  const perProcess: Record<string, { user: number; system: number }> = {};
  for (const [name, service] of Object.entries(path)) {
    const after = await containerCpu(service.name);
    perProcess[name] = { user: round((after.user - before[name].user) / run.requests, 0), system: round((after.system - before[name].system) / run.requests, 0) };
  }
  return { rps: run.rps, perProcess };
}

async function profileSubject(stack: BenchStack, subject: Subject): Promise<string> {
  const { connections, app } = subject;
  console.log(`perfil: ${subject.title}`);
  const pinned = await pin(stack, subject);
  await wrk(app.url(), connections, '3s'); // warm-up, discarded
  await wrk(subject.baseline.url(), connections, '3s');
  const appCpu = await cpuPerRequest(app, subject.appPath, connections);
  const baselineCpu = await cpuPerRequest(subject.baseline, subject.baselinePath, connections);
  const variantLines: string[] = [];
  for (const [label, variant] of Object.entries(subject.variants ?? {})) {
    await wrk(variant.url(), connections, '3s');
    const usage = await cpuPerRequest(variant, { [label]: variant }, connections);
    const { user, system } = usage.perProcess[label];
    variantLines.push(`- **${label}**, do mesmo jeito: ${usage.rps} req/s, ${user + system} µs por requisição (${user} usuário + ${system} sistema).`);
  }

  const inspector = await Inspector.connect(app);
  const origins = new Origins(app.name);
  try {
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.send('Profiler.start');
    const profiled = await wrk(app.url(), connections, `${PROFILE_SECONDS}s`);
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    await inspector.send('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
    const sampled = await wrk(app.url(), connections, CPU_RUN);
    const { profile: heap } = await inspector.send<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling');
    // The raw profiles too, for Chrome DevTools or cpupro (frames of the minified bundle).
    const role = new URL(app.url()).hostname;
    mkdirSync(RAW_DIR, { recursive: true });
    writeFileSync(join(RAW_DIR, `${role}.cpuprofile`), JSON.stringify(profile));
    writeFileSync(join(RAW_DIR, `${role}.heapprofile`), JSON.stringify(heap));
    await origins.load([...urlsOf(profile.nodes.map((node) => node.callFrame)), ...urlsOf(collectFrames(heap.head))]);

    const cpu = cpuShares(profile, origins);
    const allocation = allocationShares(heap.head, origins);
    const perRequest = (usage: Record<string, { user: number; system: number }>) =>
      Object.entries(usage).map(([name, { user, system }]) => `${name} ${user + system} µs (${user} usuário + ${system} sistema)`).join(', ');
    const sum = (usage: Record<string, { user: number; system: number }>) => Object.values(usage).reduce((total, u) => total + u.user + u.system, 0);
    const kbPerRequest = round(allocation.total / sampled.requests / 1024, 1);
    return `## ${subject.title}, ${connections} conexões

- **CPU por requisição** (sem perfilador, wrk de ${CPU_RUN}): app ${appCpu.rps} req/s, ${perRequest(appCpu.perProcess)}; linha de base ${baselineCpu.rps} req/s, ${perRequest(baselineCpu.perProcess)}. Soma do caminho: ${sum(appCpu.perProcess)} contra ${sum(baselineCpu.perProcess)} µs (${round(sum(appCpu.perProcess) / sum(baselineCpu.perProcess), 2)}×).
${variantLines.map((line) => `${line}\n`).join('')}- **Alocação**: ~${kbPerRequest} kB por requisição no app (amostras do V8 a cada 16 kB, objetos já coletados incluídos; ${sampled.requests} requisições em ${CPU_RUN}).
- **Perfil de CPU** do app: ${PROFILE_SECONDS} s, amostra a cada 200 µs, ${profiled.rps} req/s com o perfilador ligado.
- ${pinned ? 'App e linha de base num núcleo, o wrk e o resto no outro (`--cpuset-cpus`), nas duas medidas.' : 'Máquina de um núcleo: nada fixado, e o perfil conta também a espera pela CPU.'}

| dono (pacote) | tempo de CPU próprio | alocação |
| --- | --- | --- |
${top(cpu.owners, 16).map(([owner, time]) => `| ${owner} | ${percent(time, cpu.total)} | ${allocation.owners.has(owner) ? percent(allocation.owners.get(owner) as number, allocation.total) : '—'} |`).join('\n')}

Funções com mais tempo próprio:

| função (fonte original) | tempo próprio |
| --- | --- |
${top(cpu.functions, 12).map(([name, time]) => `| \`${name}\` | ${percent(time, cpu.total)} |`).join('\n')}

Funções que mais alocam:

| função (fonte original) | alocação |
| --- | --- |
${top(allocation.functions, 8).map(([name, bytes]) => `| \`${name}\` | ${percent(bytes, allocation.total)} |`).join('\n')}
`;
  } finally {
    inspector.close();
    origins.dispose();
  }
}

async function main(stack: BenchStack): Promise<void> {
  await stack.up();
  const info = await machine('wrk -t1 num container na rede do bench');
  const sections: string[] = [];

  const equal = await stack.baseline('greeting-equal', 'greeting-headers.mjs', PORT);
  const greeting = await stack.http('greeting-server', image('greeting-server'), PORT, '/health/live', { inspect: true });
  const unmetered = await stack.http('greeting-no-metrics', image('greeting-server'), PORT, '/health/live', { env: { METRICS_ENABLED: 'false' } });
  sections.push(await profileSubject(stack, {
    title: 'greeting-server (vs node:http com os mesmos cabeçalhos)', connections: 50,
    app: greeting, appPath: { 'greeting-server': greeting }, baseline: equal, baselinePath: { 'node:http': equal }, peers: [],
    variants: { 'greeting-server com METRICS_ENABLED=false': unmetered },
  }));
  await stack.remove(equal, greeting, unmetered);

  const { rawUpstream, rawPair: rawProxy, service, consumer } = await usersPaths(stack, { inspect: true });
  sections.push(await profileSubject(stack, {
    title: 'users-consumer → users-service (vs par node:http puro)', connections: 50,
    app: consumer, appPath: { 'users-consumer': consumer, 'users-service': service },
    baseline: rawProxy, baselinePath: { proxy: rawProxy, upstream: rawUpstream }, peers: [],
  }));
  await stack.remove(rawUpstream, rawProxy, service, consumer);

  const env = await databases(stack);
  const gateway = await stack.http('web-gateway', image('web-gateway'), PORT, '/health/ready', { env, inspect: true });
  const gatewayEqual = await stack.baseline('gateway-equal', 'gateway.mjs', PORT, { env, nodeModules: true });
  sections.push(await profileSubject(stack, { title: 'web-gateway GET / (vs node:http + pg + @redis/client)', connections: 20, app: gateway, appPath: { 'web-gateway': gateway }, baseline: gatewayEqual, baselinePath: { 'node:http + pg + @redis/client': gatewayEqual }, peers: [`${stack.network}-db`, `${stack.network}-cache`] }));

  const markdown = `# Perfis: para onde vai a CPU de cada app

${machineHeader('npx nx run bench:profile', info)}
Máquina: ${info.cpu}, ${info.os}; Node ${info.node}; Docker ${info.docker}.
Cada app roda da sua imagem, com o \`mem_limit\` (${LIMITS.memory}), a cota (${LIMITS.label}) e as \`NODE_OPTIONS\` do
compose, ao lado da linha de base com que o [bench](benchmarks.md) o compara, na rede do bench, com o wrk num container.

Como ler: "CPU por requisição" é o tempo de CPU (usuário + sistema, todas as threads: GC, compilador,
libuv) de cada processo Node do caminho dividido pelas respostas de uma rodada do wrk, sem perfilador.
O perfil é da thread principal do app, pelo inspetor do V8, com o perfilador ligado (que o deixa mais
lento; as partes é que contam). Cada amostra vai para o pacote da função em execução, pelo source map
que a imagem leva; uma função do Node ou nativa (escrita em socket, parser) vai para o pacote que a
chamou ("fastify → Node/nativo"). A alocação é estimada pelo perfilador de heap por amostragem do V8,
contando também o que o GC já recolheu: o que o coletor de lixo tem de varrer. Os perfis brutos ficam em
\`dist/bench/profiles/\` (\`.cpuprofile\` e \`.heapprofile\`, para abrir no DevTools do Chrome).

${sections.join('\n')}`;
  writeFileSync(join(WORKSPACE_ROOT, 'docs/profiles.md'), markdown);
  console.log('escrito: docs/profiles.md');
}

runOnStack('bench:profile', LIMIT_MINUTES, main);
