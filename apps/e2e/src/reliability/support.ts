/**
 * Helpers of the reliability suites: bounded load and fuzz generators, container faults, and a
 * results file per suite that `reliability-report` turns into docs/reliability.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { docker } from '../support/compose';
import { WORKSPACE_ROOT } from '../support/processes';
import { sleep, waitFor } from '../support/wait';

export const RESULTS_DIR = join(WORKSPACE_ROOT, 'test-artifacts/reliability');

export type Category = 'carga' | 'falha' | 'entrada ruim' | 'dados' | 'endurecimento';

export interface ResultRow {
  category: Category;
  subject: string;
  scenario: string;
  result: string;
  /** Numbers the report may aggregate (ms, requests, rows lost…). */
  metrics?: Record<string, number>;
  /**
   * The Jest test that measured the row (its full name): `add` fills it in from the running test.
   * The report takes the row's verdict from Jest's result for that test (passed, failed, skipped),
   * never from the row. A row added outside a test (in an afterAll) names the describe block it sums
   * up instead, and gets the worst verdict of the tests under it.
   */
  test?: string;
}

/**
 * Collects a suite's rows and writes them to test-artifacts/reliability/<suite>.json, with the test
 * file's path: tools/reliability/write-report.mjs matches each row to its test in Jest's JSON results.
 */
export class Results {
  readonly rows: ResultRow[] = [];
  private testPath?: string;
  constructor(private readonly suite: string) {}

  add(row: ResultRow): void {
    const state = expect.getState();
    const test = row.test ?? state.currentTestName;
    if (!test) throw new Error(`Results.add outside a test needs the describe block it sums up (row "${row.scenario}")`);
    this.testPath ??= state.testPath;
    this.rows.push({ ...row, test });
  }

  write(): void {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(
      join(RESULTS_DIR, `${this.suite}.json`),
      JSON.stringify({ suite: this.suite, testPath: this.testPath ?? expect.getState().testPath, finishedAt: new Date().toISOString(), rows: this.rows }, null, 2),
    );
  }
}

// --- HTTP load with keep-alive agents ------------------------------------------------------------

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

// --- raw sockets -----------------------------------------------------------------------------

export interface RawResponse {
  /** The status of the first response, or undefined if the server closed without one. */
  status?: number;
  head: string;
  body: string;
  timedOut: boolean;
}

/**
 * Sends `bytes` as-is on a new TCP connection and reads until the server closes or `timeoutMs`.
 * With `halfClose` the client also ends its side right after the bytes (no more is coming); without
 * it the side stays open, as a real client's does while it waits for the answer: Node's HTTP server
 * takes a client's FIN for the client leaving and drops the request it has not answered yet.
 */
export function rawRequest(port: number, bytes: Buffer | string, timeoutMs = 3000, { halfClose = true } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timedOut = false;
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', () => {
      if (halfClose) socket.end(bytes);
      else socket.write(bytes);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: match ? Number(match[1]) : undefined, head, body: split >= 0 ? text.slice(split + 4) : '', timedOut });
    });
  });
}

/** A small deterministic PRNG (mulberry32), so a failing fuzz case can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO', 'get', 'G\u00c9T', 'CONNECT'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/x-www-form-urlencoded',
  'application/xml',
  '*/*',
  '\u00ff\u00fe',
  '',
];

/**
 * One hostile request as raw bytes: odd methods, long and malformed paths and queries, huge and
 * broken headers, oversized and lying bodies, bad content types and encodings.
 */
export interface FuzzRequest {
  name: string;
  bytes: Buffer;
  /** The client ends its side after the bytes: only when it sends less body than it announced. */
  halfClose: boolean;
  /**
   * Why no answer at all is the right outcome for this request, when it is (see `fuzz`): Node's
   * server closes a CONNECT it has no handler for, and drops a request whose body the client
   * announced, cut short and then closed its side on (nothing left to answer).
   */
  unanswerable?: string;
}

export function fuzzRequest(random: () => number, paths: string[]): FuzzRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const method = pick(METHODS);
  const base = pick(paths);
  const pathKinds: [string, () => string][] = [
    ['path', () => base],
    ['long path', () => base + '/' + 'a'.repeat(1000 + Math.floor(random() * 60_000))],
    ['bad percent', () => `${base}/%zz%%${'%'.repeat(Math.floor(random() * 5))}`],
    ['traversal', () => '/..%2f..%2f..%2fetc%2fpasswd'],
    ['double slash', () => `//${base}//x`],
    ['long query', () => `${base}?${Array.from({ length: 1 + Math.floor(random() * 2000) }, (_, i) => `k${i}=v`).join('&')}`],
    ['bad query', () => `${base}?a=%&b=%e0%a4%a&c[]=1&c[x]=2&__proto__[y]=1`],
    ['non-ascii path', () => `${base}/\u00e9\u00ff\u2603`],
    ['absolute uri', () => `http://evil.example${base}`],
    ['asterisk', () => '*'],
    ['xss path', () => `${base}/<script>alert(1)</script>`],
  ];
  const [pathName, makePath] = random() < 0.3 ? pathKinds[0] : pick(pathKinds);
  const path = makePath();
  const headers: string[] = ['Host: 127.0.0.1'];
  const headerKinds: [string, () => void][] = [
    ['plain', () => undefined],
    ['huge header', () => headers.push(`X-Big: ${'b'.repeat(8_000 + Math.floor(random() * 100_000))}`)],
    ['many headers', () => { for (let i = 0; i < 500; i++) headers.push(`X-H${i}: ${i}`); }],
    ['bad header name', () => headers.push('Bad Header: x', '(): y')],
    ['ctl in header', () => headers.push('X-Ctl: a\u0001b\u007f')],
    ['hostile request id', () => headers.push('X-Request-Id: <script>\u0000\r')],
    ['two hosts', () => headers.push('Host: other')],
    ['obs-fold', () => headers.push('X-Fold: a', ' continued')],
  ];
  // Half the requests have well-formed headers, so that enough of them reach the app's routes.
  const [headerName, addHeaders] = random() < 0.5 ? headerKinds[0] : pick(headerKinds);
  addHeaders();
  const bodyKinds: [string, () => Buffer | undefined][] = [
    ['no body', () => undefined],
    ['json', () => Buffer.from('{"a":1}')],
    ['broken json', () => Buffer.from('{"a":')],
    ['huge body', () => Buffer.alloc(65 * 1024 + Math.floor(random() * 200 * 1024), 'x')],
    ['invalid utf-8', () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d])],
    ['proto pollution', () => Buffer.from('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}')],
    ['deep json', () => Buffer.from('['.repeat(5000) + ']'.repeat(5000))],
  ];
  const [bodyName, makeBody] = pick(bodyKinds);
  const body = makeBody();
  const framing = body ? pick(['length', 'short length', 'long length', 'bad length', 'chunked', 'bad chunked', 'both']) : 'none';
  if (body) {
    headers.push(`Content-Type: ${pick(CONTENT_TYPES)}`);
    if (random() < 0.2) headers.push(`Content-Encoding: ${pick(['gzip', 'br', 'deflate', 'x-unknown'])}`);
  }
  let payload = body ?? Buffer.alloc(0);
  switch (framing) {
    case 'length':
      headers.push(`Content-Length: ${payload.length}`);
      break;
    case 'short length':
      headers.push(`Content-Length: ${Math.max(0, payload.length - 3)}`);
      break;
    case 'long length':
      // Claims more than is sent: the server must time the body out, not wait forever.
      headers.push(`Content-Length: ${payload.length + 10}`);
      break;
    case 'bad length':
      headers.push(`Content-Length: ${pick(['-1', 'abc', '1e3', '99999999999999999999', '10, 12'])}`);
      break;
    case 'chunked':
      headers.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')]);
      break;
    case 'bad chunked':
      headers.push('Transfer-Encoding: chunked');
      payload = Buffer.concat([Buffer.from('zz\r\n'), payload]);
      break;
    case 'both':
      headers.push('Transfer-Encoding: chunked', `Content-Length: ${payload.length}`);
      break;
    default:
      break;
  }
  headers.push('Connection: close');
  const version = random() < 0.05 ? pick(['HTTP/0.9', 'HTTP/2.0', 'HTTP/1.1x', '']) : 'HTTP/1.1';
  const head = Buffer.from(`${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1');
  const incomplete = framing === 'long length';
  const unanswerable = method === 'CONNECT' ? 'CONNECT sem handler' : incomplete ? 'corpo incompleto e FIN' : undefined;
  return { name: `${method} ${pathName} / ${headerName} / ${bodyName} (${framing})`, bytes: Buffer.concat([head, payload]), halfClose: incomplete, unanswerable };
}

export interface FuzzOutcome {
  sent: number;
  byStatus: Record<string, number>;
  /** Requests answered with a 5xx other than 503, with their names (first few). */
  serverErrors: string[];
  /** Responses that leaked a stack trace or a given secret. */
  leaks: string[];
  /** Connections closed without any answer, other than the `unanswerable` ones (first few names after the count). */
  noResponse: number;
  unanswered: string[];
  /** Unanswerable by design (CONNECT, a cut body: see FuzzRequest) and indeed closed without an answer. */
  closedByDesign: number;
  /** Connections still open, answered or not, when the client gave up (HUNG_MS): a hung request. */
  timedOut: number;
  hung: string[];
}

/** The report's words for a fuzz run, with the container's RSS (KiB) before and after it. */
export function fuzzResult(outcome: FuzzOutcome, rssBeforeKiB: number, rssAfterKiB: number): string {
  return `status ${JSON.stringify(outcome.byStatus)} ("none": ${outcome.closedByDesign} CONNECT ou corpo cortado, fechadas sem resposta como previsto, e ${outcome.noResponse} sem motivo); ${outcome.timedOut} penduradas; RSS ${Math.round(rssBeforeKiB / 1024)} → ${Math.round(rssAfterKiB / 1024)} MiB`;
}

/**
 * No 5xx, nothing leaked, and no hung request: every connection was answered and closed within
 * HUNG_MS, or closed without an answer only where there is nothing to answer (a CONNECT, a cut
 * body: FuzzRequest.unanswerable).
 */
export function expectFuzzClean(outcome: FuzzOutcome): void {
  expect(outcome.serverErrors).toEqual([]);
  expect(outcome.leaks).toEqual([]);
  expect(outcome.hung).toEqual([]);
  expect(outcome.timedOut).toBe(0);
  expect(outcome.unanswered).toEqual([]);
  expect(outcome.noResponse).toBe(0);
}

/**
 * How long a fuzz request may stay open before it counts as hung. The apps answer these in
 * milliseconds; a server waiting on a request it cannot finish would hold it far longer. 10 s, not
 * less: on a 2-core machine busy with builds, the consumer (1 CPU in its compose service) once took
 * over 5 s to answer a few dozen of them.
 */
const HUNG_MS = 10_000;

/**
 * Sends `count` fuzz requests, `concurrency` at a time, each on its own connection, keeping the
 * client's side open until the server answers and closes (every request says Connection: close).
 */
export async function fuzz(
  port: number,
  { count, seed, paths, concurrency = 16, secrets = [] }: { count: number; seed: number; paths: string[]; concurrency?: number; secrets?: string[] },
): Promise<FuzzOutcome> {
  const random = prng(seed);
  const cases = Array.from({ length: count }, () => fuzzRequest(random, paths));
  const outcome: FuzzOutcome = { sent: 0, byStatus: {}, serverErrors: [], leaks: [], noResponse: 0, unanswered: [], closedByDesign: 0, timedOut: 0, hung: [] };
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const item = cases[next++];
      const response = await rawRequest(port, item.bytes, HUNG_MS, { halfClose: item.halfClose });
      outcome.sent += 1;
      const key = response.status === undefined ? 'none' : String(response.status);
      outcome.byStatus[key] = (outcome.byStatus[key] ?? 0) + 1;
      if (response.timedOut) {
        outcome.timedOut += 1;
        if (outcome.hung.length < 10) outcome.hung.push(item.name);
      } else if (response.status === undefined) {
        if (item.unanswerable) outcome.closedByDesign += 1;
        else {
          outcome.noResponse += 1;
          if (outcome.unanswered.length < 10) outcome.unanswered.push(item.name);
        }
      }
      if (response.status !== undefined && response.status >= 500 && response.status !== 503) {
        if (outcome.serverErrors.length < 20) outcome.serverErrors.push(`${response.status} ← ${item.name}: ${response.body.slice(0, 200)}`);
        else outcome.serverErrors.push(String(response.status));
      }
      const text = response.head + response.body;
      if (/\n\s+at [^\n]+\(|node_modules\//.test(text) || secrets.some((secret) => text.includes(secret))) {
        outcome.leaks.push(`${item.name}: ${text.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcome;
}

// --- containers --------------------------------------------------------------------------------

/**
 * Resident memory of the service's own process in a container, in KiB: the child of Docker's init
 * (PID 1 with `init: true`), or PID 1 itself without an init. Healthcheck probes are not counted.
 */
export async function containerRssKiB(id: string): Promise<number> {
  const initPid = await inspect(id, '{{.State.Pid}}');
  const rows = (await docker(['top', id, '-o', 'pid,ppid,rss,comm'])).split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  const underInit = rows.some(([pid, , , comm]) => pid === initPid && comm === 'docker-init');
  const row = underInit ? rows.find(([, ppid]) => ppid === initPid) : rows.find(([pid]) => pid === initPid);
  const rss = Number(row?.[2]);
  if (!rss) throw new Error(`no main process in ${id}:\n${rows.join('\n')}`);
  return rss;
}

export async function inspect(id: string, format: string): Promise<string> {
  return docker(['inspect', '-f', format, id]);
}

/**
 * SIGKILLs the main process of a container the way the kernel's OOM killer or a crash would: from
 * the host's PID namespace (a throwaway container with only CAP_KILL). `docker kill` would not do:
 * Docker counts it as a manual stop, and then no restart policy brings the container back.
 */
export async function crash(id: string): Promise<void> {
  const initPid = await inspect(id, '{{.State.Pid}}');
  if (!/^[1-9]\d*$/.test(initPid)) throw new Error(`container ${id} is not running (pid ${initPid})`);
  // With `init: true` PID 1 is Docker's init: the victim is the service's own process, its child.
  const rows = (await docker(['top', id, '-o', 'pid,ppid,comm'])).split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  const underInit = rows.some(([pid, , comm]) => pid === initPid && comm === 'docker-init');
  const pid = underInit ? (rows.find(([, ppid]) => ppid === initPid)?.[0] ?? initPid) : initPid;
  await docker([
    'run', '--rm', '--pid', 'host', '--network', 'none', '--cap-drop', 'ALL', '--cap-add', 'KILL',
    'node:24-bookworm-slim', 'node', '-e', `process.kill(${pid}, 'SIGKILL')`,
  ]);
}

/**
 * Waits until Docker reports the container healthy again (after `restartsBefore`, once its
 * RestartCount has gone past it, so a stale "healthy" right after a kill does not count); resolves
 * with the elapsed ms since `since`.
 */
export async function untilHealthy(id: string, since: number, timeoutMs = 60_000, restartsBefore?: number): Promise<number> {
  if (restartsBefore !== undefined) {
    await waitFor(`${id} restarted`, async () => (Number(await inspect(id, '{{.RestartCount}}')) > restartsBefore ? true : undefined), {
      timeoutMs,
      intervalMs: 50,
    });
  }
  await waitFor(
    `${id} healthy`,
    // A container without a HEALTHCHECK (a job) counts once it is running again.
    async () => (['healthy', 'running'].includes(await inspect(id, '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}')) ? true : undefined),
    { timeoutMs, intervalMs: 100 },
  );
  return Date.now() - since;
}

/** Polls `url` until it answers `status`; resolves with the elapsed ms since `since`. */
export async function untilStatus(url: string, status: number, since: number, timeoutMs = 60_000): Promise<number> {
  await waitFor(
    `${url} → ${status}`,
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return response.status === status ? true : undefined;
    },
    { timeoutMs, intervalMs: 50 },
  );
  return Date.now() - since;
}

/** Text that must never appear in a log: a stack frame or one of the given secrets. */
export function leaksIn(log: string, secrets: string[] = []): string[] {
  return log
    .split('\n')
    .filter((line) => /^\s+at .+[(:]\d+|\\n\s+at /.test(line) || secrets.some((secret) => secret && line.includes(secret)));
}

export { sleep };

/**
 * Stops a service with `docker compose stop` and measures, from Docker's own events, the time from
 * the stop signal to the container's death (the CLI's start-up on a busy machine is not counted).
 */
export async function measuredStop(
  project: { run(args: string[]): Promise<unknown> },
  service: string,
  id: string,
): Promise<{ signalToExitMs: number; wallMs: number; exitCode: number; signal: string; killed: boolean }> {
  const since = Math.floor(Date.now() / 1000) - 1;
  const started = performance.now();
  await project.run(['stop', service]);
  const wallMs = Math.round(performance.now() - started);
  const events = await docker([
    'events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', `container=${id}`, '--format', '{{.Action}} {{.TimeNano}} {{index .Actor.Attributes "signal"}}',
  ]);
  const parsed = events.split('\n').filter(Boolean).map((line) => line.split(' '));
  const kills = parsed.filter(([action]) => action === 'kill');
  const kill = kills[0];
  const die = parsed.filter(([action]) => action === 'die').at(-1);
  if (!kill || !die) throw new Error(`no kill/die events for ${service}:\n${events}`);
  const signalToExitMs = Math.round((Number(BigInt(die[1]) - BigInt(kill[1])) / 1e6) * 10) / 10;
  const exitCode = Number(await inspect(id, '{{.State.ExitCode}}'));
  // A "kill 9" after the stop signal means Docker ran out of patience and SIGKILLed it.
  return { signalToExitMs, wallMs, exitCode, signal: kill[2] ?? '', killed: kills.some(([, , signal]) => signal === '9') };
}

/** Waits until a container, started at or after its last start, has printed a line matching `pattern`. */
export async function untilLogged(id: string, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${id} logs ${pattern}`,
    async () => {
      const since = await inspect(id, '{{.State.StartedAt}}');
      const { execFile } = await import('node:child_process');
      const text = await new Promise<string>((resolve) =>
        execFile('docker', ['logs', '--since', since, id], { maxBuffer: 256 * 1024 * 1024 }, (_, stdout, stderr) => resolve(`${stdout}${stderr}`)),
      );
      return pattern.test(text) ? true : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/**
 * `docker compose up -d`, then waits for every container with a healthcheck to be healthy. Unlike
 * `up --wait`, a slow boot on a busy machine (a check or two failing before the app is up) is not
 * fatal: Docker flips "unhealthy" back to "healthy" at the next passing check.
 */
export async function upHealthy(project: { run(args: string[]): Promise<unknown>; containerIds(service?: string): Promise<string[]> }, timeoutMs = 180_000): Promise<void> {
  await project.run(['up', '-d', '--no-build']);
  for (const id of await project.containerIds()) {
    await waitFor(
      `${id} healthy`,
      async () => (['healthy', 'none'].includes(await inspect(id, '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}')) ? true : undefined),
      { timeoutMs, intervalMs: 250 },
    );
  }
}
