import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { serveMetrics } from './serve-metrics';

describe('serveMetrics', () => {
  const registry = new Registry();
  const attempts = new Counter({ name: 'spec_attempts_total', help: 'spec', labelNames: ['outcome'], registers: [registry] });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = await serveMetrics(registry, '127.0.0.1', 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('serves the registry on GET /metrics', async () => {
    attempts.inc({ outcome: 'ok' }, 3);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(await response.text()).toContain('spec_attempts_total{outcome="ok"} 3');
  });

  it.each([
    ['GET', '/'],
    ['POST', '/metrics'],
    ['GET', '/metrics/../x'],
  ])('%s %s: 404 with a JSON body', async (method, path) => {
    const response = await fetch(base + path, { method });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404 });
  });

  it('rejects when the port is taken, so the app can fail its start with one line', async () => {
    const port = (server.address() as AddressInfo).port;
    await expect(serveMetrics(registry, '127.0.0.1', port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
