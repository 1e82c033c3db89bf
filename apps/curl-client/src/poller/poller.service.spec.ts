import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { seriesValue } from '@desafios/metrics/testing';
import { CurlClientConfig } from '../app.config';
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
  const service = new PollerService(
    { INTERVAL_MS: 50, REQUEST_TIMEOUT_MS: 500, MAX_REQUESTS: undefined, METRICS_ENABLED: true, METRICS_PORT: 9464, ...config },
    (line) => lines.push(line),
    () => (done += 1),
    new PollerMetrics(registry),
  );
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
