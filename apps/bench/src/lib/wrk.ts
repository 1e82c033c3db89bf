/**
 * wrk, the benchmark's load generator: written in C, one thread of it leaves the service the other
 * core of a two-core machine (docs/decisions.md has the generator-cost figures). It runs in a
 * container on the bench's network (stack.ts), so the load reaches each container as another
 * container of the stack would: by name, with no docker-proxy or published port in the path.
 */
import { runCommand } from '@desafios/testing';
import { median, round } from './stats';
import { CURVE_DURATION, ROUND_DURATION } from './settings';

export const ROUNDS = 3;

export interface WrkRun {
  rps: number;
  /** Responses counted over the run (wrk's "N requests in"). */
  requests: number;
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

/** The container wrk runs in (`docker exec`); see stack.ts. */
let generator: string | undefined;
export function useLoadGenerator(container: string): void {
  generator = container;
}

function wrkCommand(args: string[]): [string, string[]] {
  if (!generator) throw new Error('wrk: nenhum container gerador de carga (BenchStack.up)');
  return ['docker', ['exec', generator, 'wrk', ...args]];
}

/** wrk with one thread (the server gets the other core), fixed connections and duration. */
export async function wrk(url: string, connections: number, duration: string): Promise<WrkRun> {
  const [command, args] = wrkCommand(['-t1', `-c${connections}`, `-d${duration}`, '--latency', '--timeout', '5s', url]);
  const { stdout } = await runCommand(command, args, { timeoutMs: 120_000 });
  const field = (pattern: RegExp) => {
    const match = pattern.exec(stdout);
    if (!match) throw new Error(`wrk: ${pattern} ausente na saída:\n${stdout}`);
    return match[1];
  };
  return {
    rps: round(Number(field(/Requests\/sec:\s+([\d.]+)/)), 0),
    requests: Number(field(/(\d+) requests in/)),
    p50: latencyMs(field(/^\s+50%\s+(\S+)/m)),
    p99: round(latencyMs(field(/^\s+99%\s+(\S+)/m)), 2),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? '0'),
    socketErrors: /Socket errors: (.*)/.exec(stdout)?.[1] ?? 'none',
  };
}

export async function wrkVersion(): Promise<string> {
  const [command, args] = wrkCommand(['--version']);
  try {
    return (await runCommand(command, args)).stdout.split('\n')[0].trim();
  } catch (error) {
    const { stdout = '' } = (error as Error).cause as { stdout?: string };
    return stdout.split('\n')[0].trim(); // wrk --version exits 1 after printing it
  }
}

/**
 * Subjects measured in alternating rounds (baseline, service, baseline, …), the median of each
 * kept: on a shared machine the speed drifts within a minute, and a single back-to-back pair could
 * put a fast minute on one side and a slow one on the other.
 */
export async function rounds<K extends string>(urls: Record<K, string>, connections: number, count = ROUNDS): Promise<Record<K, Summary>> {
  const names = Object.keys(urls) as K[];
  for (const name of names) await wrk(urls[name], connections, '3s'); // warm-up runs, discarded
  const runs = Object.fromEntries(names.map((name) => [name, [] as WrkRun[]])) as Record<K, WrkRun[]>;
  for (let i = 0; i < count; i += 1) {
    for (const name of names) runs[name].push(await wrk(urls[name], connections, ROUND_DURATION));
  }
  return Object.fromEntries(names.map((name) => [name, summarize(runs[name])])) as Record<K, Summary>;
}

function summarize(list: WrkRun[]): Summary {
  return {
    rps: median(list.map((r) => r.rps)),
    p99: median(list.map((r) => r.p99)),
    non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
    rounds: list,
  };
}

/** The curve points: how throughput and p99 change with the number of connections. */
export const CURVE_CONNECTIONS = [1, 10, 50, 200, 1000];

export interface CurvePoint {
  connections: number;
  rps: number;
  p99: number;
  non2xx: number;
  socketErrors: string;
}

/** Each subject at each connection count, subjects alternating at every point. */
export async function curves<K extends string>(urls: Record<K, string>): Promise<Record<K, CurvePoint[]>> {
  const names = Object.keys(urls) as K[];
  const points = Object.fromEntries(names.map((name) => [name, [] as CurvePoint[]])) as Record<K, CurvePoint[]>;
  for (const connections of CURVE_CONNECTIONS) {
    for (const name of names) {
      const { rps, p99, non2xx, socketErrors } = await wrk(urls[name], connections, CURVE_DURATION);
      points[name].push({ connections, rps, p99, non2xx, socketErrors });
    }
  }
  return points;
}
