import { createServer, Server } from 'node:http';
import { Registry } from 'prom-client';

/**
 * GET /metrics on its own small HTTP server, for an app that has no HTTP server of its own (a
 * long-running poller: Prometheus scrapes it like any other target; a push gateway is for jobs that
 * end). Resolves once listening; anything but GET /metrics gets a 404.
 */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"statusCode":404,"message":"use GET /metrics"}');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
      () => response.writeHead(500, { 'content-type': 'application/json' }).end('{"statusCode":500,"message":"erro interno"}'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
