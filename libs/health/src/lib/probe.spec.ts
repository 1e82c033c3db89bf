import { createServer, RequestListener, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { probe } from './probe';

function serve(handler: RequestListener): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/health/ready` });
    });
  });
}

describe('probe', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('is healthy on 200', async () => {
    const { server, url } = await serve((_, res) => res.end('{"status":"ok"}'));
    servers.push(server);
    await expect(probe(url, 1000)).resolves.toBe(true);
  });

  it('is unhealthy on 503', async () => {
    const { server, url } = await serve((_, res) => {
      res.statusCode = 503;
      res.end('{"status":"error"}');
    });
    servers.push(server);
    await expect(probe(url, 1000)).resolves.toBe(false);
  });

  it('is unhealthy when nothing listens', async () => {
    const { server, url } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    await expect(probe(url, 1000)).resolves.toBe(false);
  });

  it('gives up after the timeout when the app does not answer', async () => {
    const { server, url } = await serve(() => undefined); // never responds
    servers.push(server);
    const started = Date.now();
    await expect(probe(url, 200)).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
