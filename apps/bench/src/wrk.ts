/**
 * wrk, the benchmark's load generator: written in C, one thread of it leaves the service the other
 * core of a two-core machine (docs/decisions.md has the generator-cost figures).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median, round } from './report';

const run = promisify(execFile);

export const DURATION = process.env.BENCH_DURATION ?? '10s';
export const ROUNDS = 3;
export const ROUND_DURATION = process.env.BENCH_ROUND_DURATION ?? '5s';

export interface WrkRun {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  socketErrors: string;
}

export interface Summary {
  rps: number;
  p99: number;
  non2xx: number;
  rounds: WrkRun[];
}

function latencyMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`wrk: latência ilegível: ${text}`);
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2] as 'us' | 'ms' | 's'];
}

/** wrk with one thread (the server gets the other core), fixed connections and duration. */
export async function wrk(url: string, connections: number, duration = DURATION): Promise<WrkRun> {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${duration}`, '--latency', '--timeout', '5s', url], { timeout: 120_000 });
  const field = (pattern: RegExp) => {
    const match = pattern.exec(stdout);
    if (!match) throw new Error(`wrk: ${pattern} ausente na saída:\n${stdout}`);
    return match[1];
  };
  return {
    rps: round(Number(field(/Requests\/sec:\s+([\d.]+)/)), 0),
    p50: latencyMs(field(/^\s+50%\s+(\S+)/m)),
    p99: round(latencyMs(field(/^\s+99%\s+(\S+)/m)), 2),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? '0'),
    socketErrors: /Socket errors: (.*)/.exec(stdout)?.[1] ?? 'none',
  };
}

export async function wrkVersion(): Promise<string> {
  try {
    return (await run('wrk', ['--version'])).stdout.split('\n')[0].trim();
  } catch (error) {
    const { code, stdout = '' } = error as { code?: string; stdout?: string };
    if (code === 'ENOENT') throw new Error('wrk não encontrado: apt-get install wrk', { cause: error });
    return stdout.split('\n')[0].trim(); // wrk --version exits 1 after printing it
  }
}

/**
 * Service and baseline measured in alternating rounds (baseline, service, baseline, …), the
 * median of each kept: on a shared machine the speed drifts within a minute, and a single
 * back-to-back pair could put a fast minute on one side and a slow one on the other.
 */
export async function compare(baselineUrl: string, serviceUrl: string, connections: number, rounds = ROUNDS): Promise<{ baseline: Summary; measured: Summary }> {
  await wrk(baselineUrl, connections, '3s'); // warm-up runs, discarded
  await wrk(serviceUrl, connections, '3s');
  const runs: { baseline: WrkRun[]; service: WrkRun[] } = { baseline: [], service: [] };
  for (let i = 0; i < rounds; i += 1) {
    runs.baseline.push(await wrk(baselineUrl, connections, ROUND_DURATION));
    runs.service.push(await wrk(serviceUrl, connections, ROUND_DURATION));
  }
  const summary = (list: WrkRun[]): Summary => ({
    rps: median(list.map((r) => r.rps)),
    p99: median(list.map((r) => r.p99)),
    non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
    rounds: list,
  });
  return { baseline: summary(runs.baseline), measured: summary(runs.service) };
}
