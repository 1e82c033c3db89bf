/**
 * A deterministic HTTP fuzzer (seeded): malformed request lines, headers and bodies, and the
 * checks every fuzzed app must pass.
 */
import { rawRequest } from './raw-http';

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
