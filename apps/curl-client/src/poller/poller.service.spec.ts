import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { seriesValue } from '@desafios/metrics/testing';
import { CurlClientConfig } from '../app.config';
import { Heartbeat } from './heartbeat';
import { PollerMetrics } from './poller.metrics';
import { PollerService } from './poller.service';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)),
  );
}

function poller(config: Partial<CurlClientConfig> & { TARGET_URL: string }) {
  const lines: string[] = [];
  let done = 0;
  const registry = new Registry();
  const settings = { INTERVAL_MS: 50, REQUEST_TIMEOUT_MS: 500, MAX_REQUESTS: undefined, METRICS_ENABLED: true, METRICS_PORT: 9464, HEARTBEAT_FILE: undefined, ...config };
  const write = (line: string) => lines.push(line);
  const service = new PollerService(settings, write, () => (done += 1), new PollerMetrics(registry), new Heartbeat(settings, write));
  /** `curl_client_attempts_total{outcome=…}` as Prometheus would scrape it now. */
  const attempts = async (outcome: string) => seriesValue(await registry.metrics(), `curl_client_attempts_total{outcome="${outcome}"}`);
  return { service, lines, doneCalls: () => done, attempts };
}

const until = async (condition: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('PollerService', () => {
  let server: Server;
  let inFlight = 0;
  let received = 0;
  let delayMs = 0;

  beforeEach(() => {
    inFlight = 0;
    received = 0;
    delayMs = 0;
    server = createServer((_, res) => {
      inFlight += 1;
      received += 1;
      setTimeout(() => {
        inFlight -= 1;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Olá do servidor NestJS no container!');
      }, delayMs);
    });
  });

  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  it('logs one line per attempt with the status and the body', async () => {
    const url = await listen(server);
    const { service, lines } = poller({ TARGET_URL: url });
    service.onApplicationBootstrap();
    await until(() => lines.length >= 3);
    service.stop();
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\dT.*Z\] GET http:\/\/127\.0\.0\.1:\d+\/ -> 200 em \d+ ms: "Olá do servidor NestJS no container!"$/);
  });

  it('calls done after MAX_REQUESTS successful responses and stops polling', async () => {
    const url = await listen(server);
    const { service, lines, doneCalls, attempts } = poller({ TARGET_URL: url, MAX_REQUESTS: 2 });
    service.onApplicationBootstrap();
    await until(() => doneCalls() === 1);
    const count = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.length).toBe(count);
    expect(lines.filter((line) => line.includes('-> 200'))).toHaveLength(2);
    expect(lines.at(-1)).toContain('MAX_REQUESTS atingido');
    expect(await attempts('ok')).toBe(2);
    expect(await attempts('failed')).toBe(0);
  });

  it('logs a refused connection and keeps trying at the next tick', async () => {
    const url = await listen(server);
    await new Promise((resolve) => server.close(resolve)); // nothing listens there now
    const { service, lines, attempts } = poller({ TARGET_URL: url });
    service.onApplicationBootstrap();
    await until(() => lines.length >= 2);
    service.stop();
    expect(lines[0]).toContain('falhou');
    expect(lines[0]).toContain('ECONNREFUSED');
    expect(await attempts('failed')).toBe(lines.length);
    expect(await attempts('ok')).toBe(0);
  });

  it('never overlaps attempts and gives up on a slow server after the timeout', async () => {
    delayMs = 400;
    const url = await listen(server);
    const { service, lines } = poller({ TARGET_URL: url, INTERVAL_MS: 10, REQUEST_TIMEOUT_MS: 100 });
    service.onApplicationBootstrap();
    await until(() => lines.length >= 3);
    service.stop();
    // One request per logged attempt (plus the one stop() aborted): no pile-up behind a slow server.
    expect(received).toBeLessThanOrEqual(lines.length + 1);
    expect(lines[0]).toContain('tempo esgotado');
  });

  describe('heartbeat (what the image HEALTHCHECK reads)', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'curl-client-heartbeat-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('an answered round writes the Unix second by which the next answer is due', async () => {
      const url = await listen(server);
      const file = join(dir, 'heartbeat');
      const { service, lines } = poller({ TARGET_URL: url, INTERVAL_MS: 1000, REQUEST_TIMEOUT_MS: 2000, HEARTBEAT_FILE: file });
      const dueFrom = (ms: number) => Math.ceil((ms + 1000 + 2000) / 1000) + 2;
      const before = Date.now();
      service.onApplicationBootstrap();
      await until(() => lines.length >= 1);
      const after = Date.now();
      service.stop();
      const due = Number(readFileSync(file, 'utf8'));
      expect(due).toBeGreaterThanOrEqual(dueFrom(before));
      expect(due).toBeLessThanOrEqual(dueFrom(after));
    });

    it('rounds without an answer leave it alone, so it goes stale', async () => {
      const url = await listen(server);
      const file = join(dir, 'heartbeat');
      const { service, lines } = poller({ TARGET_URL: url, HEARTBEAT_FILE: file });
      service.onApplicationBootstrap();
      await until(() => existsSync(file));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await until(() => lines.some((line) => line.includes('ECONNREFUSED')));
      rmSync(file);
      const failed = lines.length;
      await until(() => lines.length >= failed + 3);
      service.stop();
      expect(lines.slice(failed).every((line) => line.includes('ECONNREFUSED'))).toBe(true);
      expect(existsSync(file)).toBe(false);
    });

    it('a file it cannot write is one line per round, and polling goes on', async () => {
      const url = await listen(server);
      const { service, lines } = poller({ TARGET_URL: url, HEARTBEAT_FILE: join(dir, 'no-such-dir', 'heartbeat') });
      service.onApplicationBootstrap();
      await until(() => lines.filter((line) => line.includes('-> 200')).length >= 2);
      service.stop();
      expect(lines).toContainEqual(expect.stringMatching(/^heartbeat: não foi possível gravar .*no-such-dir\/heartbeat \(HEARTBEAT_FILE\): ENOENT$/));
    });
  });

  it('stop() aborts the request in flight and logs nothing more', async () => {
    delayMs = 2000;
    const url = await listen(server);
    const { service, lines } = poller({ TARGET_URL: url, REQUEST_TIMEOUT_MS: 5000 });
    service.onApplicationBootstrap();
    await until(() => inFlight === 1);
    service.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines).toEqual([]);
  });
});
