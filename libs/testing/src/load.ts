/**
 * The one load generator of the load, fault and swarm suites: `connections` loops of sequential GETs
 * over undici's keep-alive pool, bounded in time and count. Not autocannon's API: autocannon
 * re-sends, and counts as answered, a request whose connection the server closed without an answer
 * (docs/decisions.md), the very failure the fault suites count.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { Pool } from 'undici';
import { sleep } from './wait';

/** One request of a load (kept with `record`): when it started and ended, and how. */
export interface LoadRequest {
  url: string;
  /** Its X-Request-Id, when the load sets one. */
  id?: string;
  /** Date.now() at the start and at the end (answer, error or timeout). */
  start: number;
  end: number;
  status?: number;
  /** Network error code, when there was no answer (or the answer broke off). */
  error?: string;
  /** Body bytes received, and the Content-Length the answer announced. */
  bytes?: number;
  contentLength?: number;
  /** On an error, the bytes its connection had received by then (0: none ever; undefined: never connected). */
  connectionBytes?: number;
}

/**
 * What became of a request: a complete answer (any status, the whole body); refused (no connection,
 * or one that closed before a single byte came back on it: what docker-proxy does for a container
 * that no longer listens); reset (closed without an answer on a kept-alive connection, or mid-answer);
 * timeout.
 */
export type RequestFate = 'answer' | 'refused' | 'reset' | 'timeout';

export function fateOf(request: LoadRequest): RequestFate {
  if (request.error === undefined) return request.contentLength === undefined || request.bytes === request.contentLength ? 'answer' : 'reset';
  if (/TIMEOUT/.test(request.error)) return 'timeout';
  return request.connectionBytes ? 'reset' : 'refused';
}

// Which socket carried each recorded request: undici publishes the headers of every request it
// sends with their socket, and the request's X-Request-Id names it.
const inFlight = new Map<string, LoadRequest>();
const sockets = new WeakMap<LoadRequest, Socket>();
subscribe('undici:client:sendHeaders', (message) => {
  const { headers, socket } = message as { headers: string; socket: Socket };
  const request = inFlight.get(/(?:^|\n)x-request-id: ([^\r\n]+)/i.exec(headers)?.[1] ?? '');
  if (request) sockets.set(request, socket);
});
let loads = 0;

export interface LoadOutcome {
  started: number;
  ok: number;
  /** Status codes other than 2xx, by code. */
  statuses: Record<string, number>;
  /** Network errors, by code. */
  errors: Record<string, number>;
  durationMs: number;
  rps: number;
  p50: number;
  p99: number;
  /** Every request, in the order they ended (only with `record`). */
  requests: LoadRequest[];
}

export interface LoadOptions {
  connections: number;
  /** How long to keep starting requests: the whole run, or the bound of one ended by `until` or `stop()`. */
  durationMs: number;
  /** Stops starting requests after this many. */
  maxRequests?: number;
  timeoutMs?: number;
  /** Stops starting requests once it returns true (still bounded by `durationMs`). */
  until?: () => boolean;
  /** Pause of a connection's loop after a network error, so a refused port is not hammered in a tight loop. */
  errorPauseMs?: number;
  /** Pause of a connection's loop after every request. */
  pauseMs?: number;
  /** X-Request-Id of the n-th request (0-based), so it can be found in the apps' logs. */
  requestId?: (n: number) => string;
  /** Keep every request's start, end and outcome in `requests` (for a fault's timeline); sets X-Request-Id if `requestId` does not. */
  record?: boolean;
}

export interface RunningLoad {
  /** Requests started so far. */
  readonly started: number;
  /** Ends when the load ends by itself (duration, count or `until`). */
  readonly done: Promise<LoadOutcome>;
  /** Stops starting requests and waits for the ones in flight. */
  stop(): Promise<LoadOutcome>;
}

/** Starts a load over `urls` in turn (one URL or several, e.g. one per replica). Bounded. */
export function startLoad(urls: string | string[], options: LoadOptions): RunningLoad {
  const targets = (Array.isArray(urls) ? urls : [urls]).map((url) => new URL(url));
  const { connections, durationMs, maxRequests = Infinity, timeoutMs = 5000, until = () => false } = options;
  const pools = targets.map((target) => new Pool(target.origin, { connections, connect: { timeout: timeoutMs } }));
  const outcome: LoadOutcome = {
    started: 0,
    ok: 0,
    statuses: {},
    errors: {},
    durationMs: 0,
    rps: 0,
    p50: 0,
    p99: 0,
    requests: [],
  };
  const latencies: number[] = [];
  const loadId = `load${++loads}`;
  const begin = performance.now();
  const end = Date.now() + durationMs;
  let stopped = false;

  const tally = (request: LoadRequest, latencyMs: number) => {
    latencies.push(latencyMs);
    if (options.record) outcome.requests.push(request);
    if (request.error !== undefined) {
      outcome.errors[request.error] = (outcome.errors[request.error] ?? 0) + 1;
    } else if (request.status !== undefined && request.status >= 200 && request.status < 300) {
      outcome.ok += 1;
    } else {
      outcome.statuses[String(request.status)] = (outcome.statuses[String(request.status)] ?? 0) + 1;
    }
  };

  /** One GET; resolves true if it got an answer (any status). */
  const one = async (n: number) => {
    const target = targets[n % targets.length];
    const id = options.requestId?.(n) ?? (options.record ? `${loadId}-${n}` : undefined);
    const request: LoadRequest = { url: target.href, id, start: Date.now(), end: 0 };
    if (options.record && id !== undefined) inFlight.set(id, request);
    const t0 = performance.now();
    try {
      const response = await pools[n % targets.length].request({
        method: 'GET',
        path: target.pathname + target.search,
        headers: id === undefined ? undefined : { 'x-request-id': id },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      request.status = response.statusCode;
      const length = response.headers['content-length'];
      if (typeof length === 'string') request.contentLength = Number(length);
      request.bytes = 0;
      for await (const chunk of response.body) request.bytes += (chunk as Buffer).length;
    } catch (error) {
      request.error = (error as { code?: string }).code ?? (error as Error).message;
      request.connectionBytes = sockets.get(request)?.bytesRead;
    }
    if (id !== undefined) inFlight.delete(id);
    request.end = Date.now();
    tally(request, performance.now() - t0);
    return request.error === undefined;
  };

  const loop = async () => {
    while (!stopped && Date.now() < end && outcome.started < maxRequests && !until()) {
      const answered = await one(outcome.started++);
      if (!answered && options.errorPauseMs) await sleep(options.errorPauseMs);
      else if (options.pauseMs) await sleep(options.pauseMs);
    }
  };

  const done = Promise.all(Array.from({ length: connections }, loop)).then(async () => {
    await Promise.all(pools.map((pool) => pool.destroy()));
    outcome.durationMs = Math.round(performance.now() - begin);
    outcome.rps = Math.round((outcome.started / outcome.durationMs) * 1000);
    latencies.sort((a, b) => a - b);
    outcome.p50 = Math.round(latencies[Math.floor(latencies.length * 0.5)] ?? 0);
    outcome.p99 = Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0);
    return outcome;
  });

  return {
    get started() {
      return outcome.started;
    },
    done,
    stop() {
      stopped = true;
      return done;
    },
  };
}

/** Runs a load to its end. */
export function load(urls: string | string[], options: LoadOptions): Promise<LoadOutcome> {
  return startLoad(urls, options).done;
}

/** Whether a request failed: no answer, or a status outside 2xx. */
export function failed(request: LoadRequest): boolean {
  return request.error !== undefined || request.status === undefined || request.status < 200 || request.status >= 300;
}

/** Network errors plus statuses outside 2xx that `accept` does not allow. */
export function failures(outcome: LoadOutcome, accept: (status: number) => boolean = () => false): number {
  const badStatuses = Object.entries(outcome.statuses)
    .filter(([status]) => !accept(Number(status)))
    .reduce((sum, [, n]) => sum + n, 0);
  const errors = Object.values(outcome.errors).reduce((sum, n) => sum + n, 0);
  return badStatuses + errors;
}

/** The failed requests of a recorded load, one line each: `<id>: <url> → <status or error>`. */
export function failedRequests(outcome: LoadOutcome): string[] {
  return outcome.requests.filter(failed).map((r) => `${r.id ?? '-'}: ${r.url} → ${r.error ?? r.status}`);
}
