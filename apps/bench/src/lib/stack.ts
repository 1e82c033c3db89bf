/**
 * The bench's containers, as the apps are deployed: each app from its image with the limits and
 * hardening of docker-compose.yml, each baseline in the same base image with the same limits, all
 * on one network of their own, and the load generator (wrk) in a container on that network. Load
 * goes by container name, as between the services of a stack: no docker-proxy, no published port.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, sleep, untilStatus, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import { composeEnvironment } from './environments';
import { round } from './stats';
import { useLoadGenerator } from './wrk';

const BASE_IMAGE = 'node:24-bookworm-slim';
const LOAD_GENERATOR_IMAGE = 'desafios-bench/wrk:latest';
/** Mounted read-only at /bench in every Node container: the baselines and heap-probe.cjs. */
const BENCH_DIR = join(__dirname, '..');
/** The heap probe (SIGUSR2: collect garbage, print the live heap) in each app and baseline. */
const HEAP_PROBE_OPTIONS = '--expose-gc -r /bench/heap-probe.cjs';
/**
 * What docker-compose.yml gives each HTTP app (mem_limit; one core as cpu_quota per cpu_period, in
 * µs); the baselines get the same.
 */
export const LIMITS = { memory: '256m', cpuQuota: 10_000, cpuPeriod: 10_000, label: '1 núcleo por período de 10 ms' };

export const INSPECTOR_PORT = 9229;

export interface RunOptions {
  env?: Record<string, string>;
  /** Leaves out the V8 flags that docker-compose.yml gives the app (NODE_OPTIONS), to show what they do. */
  v8Defaults?: boolean;
  command?: string[];
  /** The workspace's node_modules at /node_modules (baselines that use pg or @redis/client). */
  nodeModules?: boolean;
  /** The app limits (LIMITS), compose's hardening and the heap probe; off for db, cache and wrk. */
  asApp?: boolean;
  /**
   * The CPU limit: compose's (default), `cpus: 1.0` (the same core per the kernel's 100 ms period),
   * or none, to show what the limit and its period cost.
   */
  cpu?: 'compose' | 'cpus' | 'none';
  /** Opens V8's inspector on the bench network (port 9229), for the CPU and allocation profiles of profile.ts. */
  inspect?: boolean;
}

export interface Service {
  /** Container name, also its DNS name on the bench network. */
  name: string;
  /** URL as the load generator reaches it. */
  url: (path?: string) => string;
  /** URL from this host (the container's address on the bridge), for readiness and probes. */
  hostUrl: (path?: string) => string;
}

export class BenchStack {
  readonly network = `desafios-bench-${process.pid}`;
  private readonly containers: string[] = [];

  /** The load generator's container (after up()). */
  generator: string | undefined;

  async up(): Promise<void> {
    await docker(['network', 'create', this.network]);
    await docker(['build', '-q', '-t', LOAD_GENERATOR_IMAGE, '-f', join(BENCH_DIR, '../docker/wrk.Dockerfile'), join(BENCH_DIR, '../docker')], 300_000);
    this.generator = await this.run('wrk', LOAD_GENERATOR_IMAGE, { command: ['sleep', 'infinity'] });
    useLoadGenerator(this.generator);
  }

  async down(): Promise<void> {
    if (this.containers.length > 0) await docker(['rm', '-f', '-v', ...this.containers]).catch(() => undefined);
    this.containers.length = 0;
    await docker(['network', 'rm', this.network]).catch(() => undefined);
  }

  /** Starts a container on the bench network; returns its name. */
  async run(role: string, image: string, options: RunOptions = {}): Promise<string> {
    const name = `${this.network}-${role}`;
    const args = ['run', '-d', '--name', name, '--network', this.network, '--network-alias', role];
    if (options.asApp) {
      args.push('--log-opt', 'max-size=10m', '--log-opt', 'max-file=3');
      args.push('--init', '--read-only', '--tmpfs', '/tmp:size=16m', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges:true');
      args.push('--memory', LIMITS.memory, '--user', 'node');
      const cpu = options.cpu ?? 'compose';
      if (cpu === 'compose') args.push('--cpu-period', String(LIMITS.cpuPeriod), '--cpu-quota', String(LIMITS.cpuQuota));
      if (cpu === 'cpus') args.push('--cpus', String(LIMITS.cpuQuota / LIMITS.cpuPeriod));
      const composed = options.v8Defaults ? undefined : (await composeEnvironment(image)).NODE_OPTIONS;
      const inspect = options.inspect ? `--inspect=0.0.0.0:${INSPECTOR_PORT}` : undefined;
      args.push('-v', `${BENCH_DIR}:/bench:ro`, '-e', `NODE_OPTIONS=${[HEAP_PROBE_OPTIONS, composed, inspect].filter(Boolean).join(' ')}`);
    }
    if (options.nodeModules) args.push('-v', `${join(WORKSPACE_ROOT, 'node_modules')}:/node_modules:ro`);
    for (const [key, value] of Object.entries(options.env ?? {})) args.push('-e', `${key}=${value}`);
    args.push(image, ...(options.command ?? []));
    this.containers.push(name);
    await docker(args);
    return name;
  }

  /** Stops and removes containers the bench no longer needs (they would take CPU and memory). */
  async remove(...services: Service[]): Promise<void> {
    const names = services.map((service) => service.name);
    await docker(['rm', '-f', '-v', ...names]);
    for (const name of names) this.containers.splice(this.containers.indexOf(name), 1);
  }

  /** The container's address on the bench network, reachable from this host. */
  address(container: string): Promise<string> {
    return docker(['inspect', '-f', `{{(index .NetworkSettings.Networks "${this.network}").IPAddress}}`, container]);
  }

  exec(container: string, command: string[]): Promise<string> {
    return docker(['exec', container, ...command]);
  }

  /** Polls `probe` until it resolves (60 s at most). */
  until(what: string, probe: () => Promise<unknown>): Promise<true> {
    return waitFor(what, () => probe().then(() => true as const), { timeoutMs: 60_000, intervalMs: 250 });
  }

  /** An HTTP app or baseline, started and answered 200 on `readyPath`. */
  async http(role: string, image: string, port: number, readyPath: string, options: RunOptions = {}): Promise<Service> {
    const name = await this.run(role, image, { asApp: true, ...options, env: { PORT: String(port), ...options.env } });
    const address = await this.address(name);
    const service: Service = {
      name,
      url: (path = '/') => `http://${role}:${port}${path}`,
      hostUrl: (path = '/') => `http://${address}:${port}${path}`,
    };
    await untilStatus(service.hostUrl(readyPath), 200, Date.now(), 60_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await docker(['logs', '--tail', '30', name]).catch(() => '')}`);
    });
    return service;
  }

  /** A baseline script from apps/bench/src/baselines, in the apps' base image, as user node. */
  baseline(role: string, script: string, port: number, options: RunOptions = {}): Promise<Service> {
    return this.http(role, BASE_IMAGE, port, '/', { ...options, command: ['node', `/bench/baselines/${script}`], env: { HOST: '0.0.0.0', ...options.env } });
  }
}

export interface ContainerMemory {
  /** Resident set of the node process, from /proc on the host: anonymous memory plus mapped files. */
  rss: number;
  /** The process's own memory (heap, code space, buffers). */
  rssAnon: number;
  /** Mapped files, mostly the node executable: shared page cache, the same in every Node process. */
  rssFile: number;
  /** The container's memory cgroup (what mem_limit caps; `docker stats`, which leaves the page cache out). */
  cgroup: number;
  /** Heap still in use after a full GC (heap-probe.cjs), and the RSS right after it. */
  liveHeap: number | null;
  rssAfterGc: number | null;
}

/** The node process of a container started with --init: the only child of docker-init. */
async function nodePid(container: string): Promise<number> {
  const init = Number(await docker(['inspect', '-f', '{{.State.Pid}}', container]));
  const children = readFileSync(`/proc/${init}/task/${init}/children`, 'utf8').trim().split(/\s+/).map(Number);
  if (children.length !== 1 || !children[0]) throw new Error(`${container}: esperava um processo node sob o docker-init, achei ${children.join(',') || 'nenhum'}`);
  return children[0];
}

const mb = (bytes: number) => round(bytes / 2 ** 20);

/** CPU time the container's node process has used so far (all its threads), in µs: user and system. */
export async function containerCpu(container: string): Promise<{ user: number; system: number }> {
  const stat = readFileSync(`/proc/${await nodePid(container)}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 1e6 / CLOCK_TICKS;
  return { user: Number(fields[11]) * tick, system: Number(fields[12]) * tick };
}

/** USER_HZ: 100 on every Linux architecture Docker runs on (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS = 100;

export async function containerMemory(container: string): Promise<ContainerMemory> {
  const pid = await nodePid(container);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => mb(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) * 1024);
  const [rss, rssAnon, rssFile] = [kb('VmRSS'), kb('RssAnon'), kb('RssFile')];
  const cgroup = await cgroupMemory(container);
  // Only the logs from now on: under load an app logs every request, megabytes of them.
  const since = new Date(Date.now() - 1000).toISOString();
  const before = (await probeLines(container, since)).length;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const latest = (await probeLines(container, since)).slice(before).at(-1);
    if (latest !== undefined) {
      const probe = JSON.parse(latest.replace(/^.*heap-probe /, '')) as { heapUsedAfter: number; rssAfter: number };
      return { rss, rssAnon, rssFile, cgroup, liveHeap: mb(probe.heapUsedAfter), rssAfterGc: mb(probe.rssAfter) };
    }
    await sleep(100);
  }
  return { rss, rssAnon, rssFile, cgroup, liveHeap: null, rssAfterGc: null };
}

/** The container's memory as `docker stats` reports it (cgroup v1 or v2 alike), in MB. */
async function cgroupMemory(container: string): Promise<number> {
  const usage = await docker(['stats', '--no-stream', '--format', '{{.MemUsage}}', container]);
  const match = /^([\d.]+)\s*([KMG]i?B|B)/.exec(usage);
  if (!match) throw new Error(`docker stats ${container}: uso de memória ilegível: ${usage}`);
  const factor = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 }[match[2]] ?? NaN;
  return mb(Number(match[1]) * factor);
}

/** The heap-probe lines a container printed since `since` (on stderr). */
function probeLines(container: string, since: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('docker', ['logs', '--since', since, container], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(error);
      else resolve(`${stdout}\n${stderr}`.split('\n').filter((line) => line.includes('heap-probe {')));
    });
  });
}

/**
 * Runs `main` on a new stack, bounded by `limitMinutes`; the stack comes down however it ends, and
 * a failure prints one line prefixed by `name` and sets exit code 1.
 */
export function runOnStack(name: string, limitMinutes: number, main: (stack: BenchStack) => Promise<void>, cleanup: () => Promise<void> = async () => undefined): void {
  const stack = new BenchStack();
  const timeout = setTimeout(() => {
    console.error(`${name}: passou de ${limitMinutes} minutos, abortando`);
    void stack.down().finally(() => process.exit(1));
  }, limitMinutes * 60_000);
  main(stack)
    .catch((error: Error) => {
      console.error(`${name}: ${error.message}`);
      process.exitCode = 1;
    })
    .finally(async () => {
      clearTimeout(timeout);
      await stack.down();
      await cleanup();
    });
}
