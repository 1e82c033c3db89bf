/**
 * Bounded HTTP load over keep-alive sockets, and a container killed while it runs (the load
 * proven to span the kill).
 */
import { Agent, request as httpRequest } from 'node:http';
import { sleep } from './wait';
import { crash, inspect, untilHealthy, untilStatus } from './containers';

/** One request of a load, for the timeline of a fault: when it started and ended, and how. */
export interface LoadRequest {
  /** Date.now() at the start and at the end (answer, error or timeout). */
  start: number;
  end: number;
  status?: number;
  /** Network error code, when there was no answer. */
  error?: string;
}

export interface LoadOutcome {
  started: number;
  ok: number;
  /** Status codes other than 2xx, by code. */
  statuses: Record<string, number>;
  /** Network errors, by code. */
  errors: Record<string, number>;
  /** Requests that started before `markAt` (e.g. the stop signal) and failed. */
  failedBeforeMark: number;
  /** Of those, the ones that got no answer at all (connection reset or timed out): dropped. */
  droppedBeforeMark: number;
  /** Requests that started before `markAt` and ended after it was set: in flight at the mark. */
  startedBeforeMark: number;
  durationMs: number;
  rps: number;
  p50: number;
  p99: number;
  /** Every request, in the order they ended (only with `record`). */
  requests: LoadRequest[];
}

export interface LoadOptions {
  connections: number;
  /** How long to keep starting requests: the whole run, or the bound of one ended by `until`. */
  durationMs: number;
  timeoutMs?: number;
  /** Status codes that do not count as failures (e.g. 503 while a dependency is down). */
  accept?: (status: number) => boolean;
  /** If set and returns a number, requests started before that time are tracked separately. */
  markAt?: () => number | undefined;
  /** Stops starting requests once it returns true (still bounded by `durationMs`). */
  until?: () => boolean;
  /** Pause of a connection's loop after a network error, so a refused port is not hammered in a tight loop. */
  errorPauseMs?: number;
  /** Keep every request's start, end and outcome in `requests` (for a fault's timeline). */
  record?: boolean;
}

/** `connections` loops of sequential GETs over keep-alive sockets for `durationMs`. Bounded. */
export async function load(url: string, options: LoadOptions): Promise<LoadOutcome> {
  const { connections, durationMs, timeoutMs = 5000, markAt = () => undefined, until = () => false, errorPauseMs = 0, record = false } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const outcome: LoadOutcome = {
    started: 0,
    ok: 0,
    statuses: {},
    errors: {},
    failedBeforeMark: 0,
    droppedBeforeMark: 0,
    startedBeforeMark: 0,
    durationMs: 0,
    rps: 0,
    p50: 0,
    p99: 0,
    requests: [],
  };
  const latencies: number[] = [];
  const begin = performance.now();
  const end = Date.now() + durationMs;
  const target = new URL(url);
  const one = () =>
    new Promise<boolean>((resolve) => {
      const startedAt = Date.now();
      const t0 = performance.now();
      outcome.started += 1;
      let settled = false;
      const finish = (failure?: string, status?: number) => {
        if (settled) return;
        settled = true;
        latencies.push(performance.now() - t0);
        if (record) outcome.requests.push({ start: startedAt, end: Date.now(), status, error: failure });
        const mark = markAt();
        const beforeMark = mark !== undefined && startedAt < mark;
        if (beforeMark) outcome.startedBeforeMark += 1;
        if (failure) {
          outcome.errors[failure] = (outcome.errors[failure] ?? 0) + 1;
          if (beforeMark) {
            outcome.failedBeforeMark += 1;
            outcome.droppedBeforeMark += 1;
          }
        } else if (status !== undefined && status >= 200 && status < 300) {
          outcome.ok += 1;
        } else {
          outcome.statuses[String(status)] = (outcome.statuses[String(status)] ?? 0) + 1;
          if (beforeMark && !(options.accept?.(status ?? 0) ?? false)) outcome.failedBeforeMark += 1;
        }
        resolve(failure === undefined);
      };
      const req = httpRequest(
        { host: target.hostname, port: target.port, path: target.pathname + target.search, agent, timeout: timeoutMs },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => finish(undefined, res.statusCode));
          res.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'response-error'));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      req.end();
    });
  const loop = async () => {
    while (Date.now() < end && !until()) {
      const answered = await one();
      if (!answered && errorPauseMs > 0) await sleep(errorPauseMs);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  outcome.durationMs = Math.round(performance.now() - begin);
  outcome.rps = Math.round((outcome.started / outcome.durationMs) * 1000);
  latencies.sort((a, b) => a - b);
  outcome.p50 = Math.round(latencies[Math.floor(latencies.length * 0.5)] ?? 0);
  outcome.p99 = Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0);
  return outcome;
}

/** How a load overlapped a SIGKILL: see `killUnderLoad`. */
export interface KillOverlap {
  /** Requests in flight across the kill: started before `crash` returned, ended after it was called. */
  inFlightAtKill: number;
  /** Requests that ended between the kill and the recovery with a network error, a non-2xx status, or slowly. */
  disturbed: number;
  /** Of those, network errors and non-2xx statuses (503s included). */
  failedInWindow: number;
  /** Requests started after the recovery (healthy again and the page 200) that got a 2xx. */
  okAfterRecovery: number;
}

export interface KillUnderLoad {
  outcome: LoadOutcome;
  overlap: KillOverlap;
  /** From the kill to Docker's "healthy" and to the first 200 of the page. */
  healthyMs: number;
  pageMs: number;
}

/**
 * SIGKILLs a container's main process while `connections` loops load `url`, and keeps the load on
 * until the container is healthy again, the page answers 200, and `afterMs` more have passed; so
 * the outcome shows the load across the whole fault: in flight at the kill, disturbed during the
 * outage, and served after the recovery. Bounded: the load stops at `maxMs` whatever happens, and
 * is always awaited before this returns or throws.
 */
export async function killUnderLoad(
  url: string,
  container: string,
  {
    connections,
    timeoutMs = 5000,
    accept,
    warmMs = 1000,
    afterMs = 1000,
    slowMs = 1000,
    maxMs = 150_000,
  }: { connections: number; timeoutMs?: number; accept?: (status: number) => boolean; warmMs?: number; afterMs?: number; slowMs?: number; maxMs?: number },
): Promise<KillUnderLoad> {
  const restarts = Number(await inspect(container, '{{.RestartCount}}'));
  let stopAt: number | undefined;
  const burst = load(url, { connections, durationMs: maxMs, timeoutMs, accept, record: true, errorPauseMs: 50, until: () => stopAt !== undefined && Date.now() >= stopAt });
  let killStart: number;
  let killEnd: number;
  let recoveredAt: number;
  let healthyMs: number;
  let pageMs: number;
  try {
    await sleep(warmMs);
    killStart = Date.now();
    await crash(container);
    killEnd = Date.now();
    healthyMs = await untilHealthy(container, killEnd, 60_000, restarts);
    pageMs = await untilStatus(url, 200, killEnd, 60_000);
    recoveredAt = Date.now();
  } catch (error) {
    stopAt = Date.now();
    await burst;
    throw error;
  }
  stopAt = recoveredAt + afterMs;
  const outcome = await burst;
  const requests = outcome.requests;
  const failed = (r: LoadRequest) => r.error !== undefined || r.status === undefined || r.status < 200 || r.status >= 300;
  const inWindow = requests.filter((r) => r.end >= killStart && r.end <= recoveredAt);
  const overlap: KillOverlap = {
    inFlightAtKill: requests.filter((r) => r.start < killEnd && r.end > killStart).length,
    disturbed: inWindow.filter((r) => failed(r) || r.end - r.start >= slowMs).length,
    failedInWindow: inWindow.filter(failed).length,
    okAfterRecovery: requests.filter((r) => r.start >= recoveredAt && !failed(r)).length,
  };
  return { outcome, overlap, healthyMs, pageMs };
}

export function failures(outcome: LoadOutcome, accept: (status: number) => boolean = () => false): number {
  const badStatuses = Object.entries(outcome.statuses)
    .filter(([status]) => !accept(Number(status)))
    .reduce((sum, [, n]) => sum + n, 0);
  const errors = Object.values(outcome.errors).reduce((sum, n) => sum + n, 0);
  return badStatuses + errors;
}
