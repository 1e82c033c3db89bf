// `npx nx run bench:profile`: where each HTTP app's CPU and allocations go, measured as deployed.
// Each app runs from its image with compose's limits beside the baseline the bench compares it to
// (stack.ts); for each it writes to docs/reports/profiles.md:
// - CPU per request of every Node process on the path (utime + stime of the whole process, all
//   threads, over one wrk run), the app's and the baseline's, with no profiler attached;
// - a CPU profile of the app under the same load, through V8's inspector, as self time per package
//   (native and Node-core frames counted to the package that called them), source-mapped with the
//   maps the image carries;
// - bytes allocated per request (V8's sampling heap profiler, objects already collected included),
//   per package: what the garbage collector's share comes from.
// The profiler slows the app down; the shares are what it is for, the µs come from the run without it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { docker, WORKSPACE_ROOT } from '@desafios/testing';
import { databases, image, PORT, usersPaths } from '../lib/http-apps';
import { machine, machineHeader } from '../lib/report';
import { round } from '../lib/stats';
import { BenchStack, containerCpu, LIMITS, runOnStack, Service } from '../lib/stack';
import { wrk } from '../lib/wrk';
import { CpuProfile, Inspector, SamplingNode } from '../lib/profile/inspector';
import { Origins } from '../lib/profile/origins';
import { allocationShares, collectFrames, cpuShares, percent, top, urlsOf } from '../lib/profile/shares';

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
  writeFileSync(join(WORKSPACE_ROOT, 'docs/reports/profiles.md'), markdown);
  console.log('escrito: docs/reports/profiles.md');
}

runOnStack('bench:profile', LIMIT_MINUTES, main);
