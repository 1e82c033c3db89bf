/**
 * users-consumer (the bundle in dist/apps) facing a hostile users-service: slow, silent, oversized,
 * malformed and compressed answers from a real HTTP server on loopback. Needs the build:
 * npx nx build users-consumer
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { freePort, get, spawnApp, stopAllApps } from '@desafios/testing';
import { Results } from '../support/results';

const results = new Results('hostile-upstream');

describe('reliability: users-consumer facing a hostile users-service', () => {
  afterAll(() => results.write());

  const TIMEOUT_MS = 500;
  const BOUND_MS = 2 * TIMEOUT_MS + 100 + 700;
  // A quarter of the bomb: far above what reading 1 MiB costs, far below inflating 64 MiB.
  const BOMB_PEAK_BOUND_KIB = 16 * 1024;
  const ROUNDS = 3;
  const PER_ROUND_BOUND_KIB = 2 * 1024;
  const TOTAL_BOUND_KIB = 64 * 1024;
  let server: Server;
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => response.end('[]');
  const requests: string[] = [];
  // Another host (a second loopback address) that answers a valid list: a redirect followed to it
  // would turn the 502 into a 200, and would show here.
  let trap: Server;
  let trapUrl: string;
  const trapRequests: string[] = [];
  let consumerUrl: string;
  let pid: number;
  const procStatus = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  const rss = () => procStatus('VmRSS');
  let rssBefore = 0;
  // The bomb: a valid empty list padded with 64 MiB of spaces, gzipped once (~64 KiB) before the
  // case and then sent whole, at once, with content-encoding: gzip although the consumer asked for
  // no encoding. Inflated in full it would be a valid answer ([] → 200); the consumer's transport
  // never inflates (it sends no accept-encoding), so the compressed bytes are not JSON: the
  // documented 502 "Resposta inválida", and the 64 MiB never exist in memory.
  const BOMB_INFLATED = 64 * 1024 * 1024;
  let bomb: Buffer;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    trap = createServer((request, response) => {
      trapRequests.push(request.url ?? '');
      response.end('[]');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.2', resolve));
    trapUrl = `http://127.0.0.2:${(trap.address() as AddressInfo).port}`;
    const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const port = await freePort();
    consumerUrl = `http://127.0.0.1:${port}/`;
    const app = await spawnApp('users-consumer', {
      PORT: String(port),
      USERS_SERVICE_URL: upstream,
      USERS_TIMEOUT_MS: String(TIMEOUT_MS),
      USERS_RETRIES: '1',
      // High: each case below must be judged on its own, not short-circuited by an open breaker.
      USERS_BREAKER_THRESHOLD: '100',
    });
    pid = app.pid as number;
    rssBefore = rss();
    bomb = gzipSync(Buffer.concat([Buffer.from('['), Buffer.alloc(BOMB_INFLATED - 2, 0x20), Buffer.from(']')]), { level: 9 });
  }, 60_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => trap.close(resolve));
    await stopAllApps();
  });

  const cases: [string, (request: IncomingMessage, response: ServerResponse) => void, number[], (body: string) => void][] = [
    ['malformed JSON', (_, res) => res.end('[{"id":1,'), [502], () => undefined],
    [
      'XSS strings in every field it shows',
      (_, res) => res.end(JSON.stringify([{ id: 1, nome: '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&', ativo_desde: '2020-01-01' }])),
      [200],
      (body) => {
        expect(body).not.toContain('<script>alert(1)');
        expect(body).not.toContain('<img src=x');
        expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      },
    ],
    // 502 once the 1 MiB cap is hit; 503 if the transfer outlasts the timeout first (a busy machine).
    ['a huge payload (8 MiB)', (_, res) => res.end(`[${'{"id":1,"nome":"a","ativo_desde":"2020-01-01"},'.repeat(180_000)}{"id":2,"nome":"b","ativo_desde":"2020-01-01"}]`), [502, 503], () => undefined],
    [
      'a trickling response (1 byte every 100 ms)',
      (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(timer));
      },
      [503],
      () => undefined,
    ],
    // Node's HTTP parser refuses a response head over 16 KiB (HPE_HEADER_OVERFLOW) before any body:
    // for the consumer that is a transport error like a reset, so "unavailable" (503) after its
    // retry, not an off-contract answer (502). Deterministic, so exactly that status.
    [
      'a 64 KiB response header',
      (_, res) => {
        res.setHeader('x-big', 'y'.repeat(64 * 1024));
        res.end('[]');
      },
      [503],
      (body) => expect(body).toContain('Serviço de usuários indisponível'),
    ],
    [
      'a redirect to another host',
      (_, res) => {
        res.writeHead(302, { location: `${trapUrl}/latest/meta-data/` });
        res.end();
      },
      [502],
      () => expect(trapRequests).toEqual([]),
    ],
    ['HTML instead of JSON', (_, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html><script>alert(1)</script></html>'); }, [502], (body) => expect(body).not.toContain('<script>alert(1)')],
  ];

  it.each(cases)('%s: answers within the bound, safely, and keeps serving', async (_, upstream, statuses, check) => {
    handler = upstream;
    const page = await get(consumerUrl, { timeoutMs: 10_000 });
    expect(statuses).toContain(page.status);
    expect(page.ms).toBeLessThan(BOUND_MS);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/\n\s+at |node_modules/);
    check(page.body);
    handler = (__, res) => res.end('[]');
    expect((await get(consumerUrl)).status).toBe(200);
    results.add({ category: 'entrada ruim', subject: 'users-consumer ← upstream hostil', scenario: _, result: `${page.status} em ${Math.round(page.ms)} ms, depois 200 de novo`, metrics: { answerMs: Math.round(page.ms) } });
  });

  it('a gzip bomb (64 MiB inflated) sent whole at once, unasked for: not inflated, the documented 502, memory bound', async () => {
    let acceptEncoding: string | undefined;
    handler = (req, res) => {
      acceptEncoding = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    };
    const attemptsBefore = requests.filter((url) => url === '/users').length;
    // Peak resident memory of the consumer over this one request: reset the kernel's high-water
    // mark (VmHWM) to the current RSS, then read it back afterwards.
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const base = rss();
    const page = await get(consumerUrl, { timeoutMs: 10_000 });
    const peakGrowthKiB = procStatus('VmHWM') - base;
    const attempts = requests.filter((url) => url === '/users').length - attemptsBefore;
    handler = (__, res) => res.end('[]');
    results.add({
      category: 'entrada ruim',
      subject: 'users-consumer ← upstream hostil',
      scenario: `a gzip bomb (${Math.round(bomb.length / 1024)} KiB de gzip, 64 MiB inflados, enviados de uma vez)`,
      result: `${page.status} em ${Math.round(page.ms)} ms, ${attempts} tentativa(s); pico de RSS +${(peakGrowthKiB / 1024).toFixed(1)} MiB (limite ${BOMB_PEAK_BOUND_KIB / 1024} MiB)`,
      metrics: { answerMs: Math.round(page.ms), peakGrowthKiB },
    });
    expect(acceptEncoding).toBeUndefined();
    expect(page.status).toBe(502);
    expect(page.body).toContain('Resposta inválida do serviço de usuários');
    expect(page.ms).toBeLessThan(BOUND_MS);
    // An off-contract answer is not retried: one attempt.
    expect(attempts).toBe(1);
    // Reading the 64 KiB costs little; inflating the 64 MiB (and the string made of it) could not fit.
    expect(peakGrowthKiB).toBeLessThan(BOMB_PEAK_BOUND_KIB);
    expect((await get(consumerUrl)).status).toBe(200);
  });

  it('memory: every case again, three rounds, grows nothing round after round; no request went anywhere but users-service /users', async () => {
    const readings = [rss()];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [, upstream] of cases) {
        handler = upstream;
        await get(consumerUrl, { timeoutMs: 10_000 });
      }
      handler = (__, res) => res.end('[]');
      readings.push(rss());
    }
    // From the end of the first round on: by then the heap has grown to its working size.
    const perRoundKiB = (readings[ROUNDS] - readings[1]) / (ROUNDS - 1);
    const mib = (kib: number) => Math.round(kib / 1024);
    results.add({
      category: 'entrada ruim',
      subject: 'users-consumer ← upstream hostil',
      scenario: `memória: todos os casos, depois ${ROUNDS} rodadas de novo`,
      result: `RSS ${mib(rssBefore)} MiB na partida → ${readings.map(mib).join(' → ')} MiB; ${(perRoundKiB / 1024).toFixed(1)} MiB por rodada depois da 1ª (limite ${PER_ROUND_BOUND_KIB / 1024} MiB)`,
      metrics: { perRoundKiB: Math.round(perRoundKiB) },
    });
    expect(requests.every((url) => url === '/users' || url.startsWith('/health'))).toBe(true);
    expect(trapRequests).toEqual([]);
    // A case that kept what it read (the 1 MiB it takes of the 8 MiB payload, as bytes and as text)
    // would add that every round; measured here: ~0.4 MiB per round.
    expect(perRoundKiB).toBeLessThan(PER_ROUND_BOUND_KIB);
    expect(readings[ROUNDS] - rssBefore).toBeLessThan(TOTAL_BOUND_KIB);
  }, 120_000);
});
