import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, get, sleep, spawnApp, startLoad, stopAllApps } from '@desafios/testing';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A stand-in users-service on 127.0.0.1 whose behaviour each test sets. */
async function startStub(): Promise<{ server: Server; url: string; requests: IncomingMessage[]; set(h: Handler): void }> {
  const requests: IncomingMessage[] = [];
  let handler: Handler = (_, response) => response.end('[]');
  const server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests, set: (h) => (handler = h) };
}

const json = (body: string, status = 200): Handler => (_, response) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
};

const listItems = (html: string) => [...html.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1]);

// Short, so the bounded-failure cases stay fast; the bound is 2 attempts × 500 ms + 100 ms pause.
const TIMEOUT_MS = 500;
const WORST_CASE_MS = 2 * TIMEOUT_MS + 100;

describe('Desafio 4 (processos): users-consumer e users-service no loopback', () => {
  afterEach(stopAllApps);

  describe('against the real users-service', () => {
    it('lists every user users-service serves, and both apps log the same X-Request-Id', async () => {
      const [servicePort, consumerPort] = [await freePort(), await freePort()];
      const service = await spawnApp('users-service', { PORT: String(servicePort) });
      const consumer = await spawnApp('users-consumer', {
        PORT: String(consumerPort),
        USERS_SERVICE_URL: `http://127.0.0.1:${servicePort}`,
      });

      const users = JSON.parse((await get(`http://127.0.0.1:${servicePort}/users`)).body) as { nome: string; ativo_desde: string }[];
      const requestId = `e2e-d4-${Date.now()}`;
      const page = await get(`http://127.0.0.1:${consumerPort}/`, { headers: { 'x-request-id': requestId } });

      expect(page.status).toBe(200);
      expect(page.headers.get('x-request-id')).toBe(requestId);
      const items = listItems(page.body);
      expect(items).toHaveLength(users.length);
      users.forEach((user, i) => {
        expect(items[i]).toContain(user.nome);
        expect(items[i]).toContain(user.ativo_desde);
      });

      const logged = new RegExp(`"url":"/users".*"requestId":"${requestId}"`);
      await expect(service.waitForLines(logged)).resolves.toHaveLength(1);
      await expect(consumer.waitForLines(new RegExp(`"url":"/".*"requestId":"${requestId}"`))).resolves.toHaveLength(1);
    });

    it('SIGTERM under load: exit 0, and every page served until then is a 200 (the transport closes after the server)', async () => {
      const [servicePort, consumerPort] = [await freePort(), await freePort()];
      await spawnApp('users-service', { PORT: String(servicePort) });
      const consumer = await spawnApp('users-consumer', {
        PORT: String(consumerPort),
        USERS_SERVICE_URL: `http://127.0.0.1:${servicePort}`,
      });
      // Connection errors are expected once the consumer stops listening; answers are not.
      const running = startLoad(`http://127.0.0.1:${consumerPort}/`, { connections: 20, durationMs: 4000, errorPauseMs: 50 });
      await sleep(1000);
      consumer.kill('SIGTERM');
      await expect(consumer.exit()).resolves.toEqual({ code: 0, signal: null });
      await running.stop();
      const served = consumer.lines(/"msg":"requisição"/);
      expect(served.length).toBeGreaterThan(20);
      expect(served.filter((line) => !line.includes('"status":200'))).toEqual([]);
    });

    it('/health/ready follows users-service: 200 while it runs, 503 when it is gone', async () => {
      const [servicePort, consumerPort] = [await freePort(), await freePort()];
      const service = await spawnApp('users-service', { PORT: String(servicePort) });
      await spawnApp('users-consumer', { PORT: String(consumerPort), USERS_SERVICE_URL: `http://127.0.0.1:${servicePort}` });
      expect((await get(`http://127.0.0.1:${consumerPort}/health/ready`)).status).toBe(200);
      service.kill('SIGTERM');
      await service.exit();
      const ready = await get(`http://127.0.0.1:${consumerPort}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body).toContain('users-service');
    });
  });

  describe('against a stub upstream', () => {
    let stub: Awaited<ReturnType<typeof startStub>>;
    let page: string;

    beforeEach(async () => {
      stub = await startStub();
      const port = await freePort();
      await spawnApp('users-consumer', {
        PORT: String(port),
        USERS_SERVICE_URL: stub.url,
        USERS_TIMEOUT_MS: String(TIMEOUT_MS),
        USERS_RETRIES: '1',
        // Out of the way here; the breaker has its own test below.
        USERS_BREAKER_THRESHOLD: '100',
      });
      page = `http://127.0.0.1:${port}/`;
    });

    afterEach(async () => {
      stub.server.closeAllConnections();
      await new Promise((resolve) => stub.server.close(resolve));
    });

    it('malformed JSON → 502 page, without retrying', async () => {
      stub.set(json('[{"id": 1, "nome": "Ana"'));
      const { status, headers, body } = await get(page);
      expect(status).toBe(502);
      expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(body).toContain('<h1>Resposta inválida do serviço de usuários</h1>');
      expect(stub.requests.filter((r) => r.url === '/users')).toHaveLength(1);
    });

    it('valid JSON outside the contract → 502 page', async () => {
      stub.set(json(JSON.stringify([{ id: 1, nome: 'Ana', ativo_desde: '31/12/2020' }])));
      expect((await get(page)).status).toBe(502);
    });

    it('a name with markup is shown as text, never run', async () => {
      stub.set(json(JSON.stringify([{ id: 1, nome: '<script>alert(1)</script>', ativo_desde: '2020-01-02' }])));
      const { status, body } = await get(page);
      expect(status).toBe(200);
      expect(listItems(body)[0]).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(body).not.toContain('<script');
    });

    it('a slow answer → 503 page within timeout × (1 + retries), after 2 attempts', async () => {
      stub.set((request, response) => setTimeout(() => json('[]')(request, response), 3 * TIMEOUT_MS));
      const { status, body, ms } = await get(page);
      expect(status).toBe(503);
      expect(body).toContain('<h1>Serviço de usuários indisponível</h1>');
      expect(ms).toBeGreaterThanOrEqual(2 * TIMEOUT_MS);
      expect(ms).toBeLessThan(WORST_CASE_MS + 700);
      expect(stub.requests.filter((r) => r.url === '/users')).toHaveLength(2);
    });

    it('no answer at all → 503 page within the same bound', async () => {
      stub.set(() => undefined);
      const { status, ms } = await get(page);
      expect(status).toBe(503);
      expect(ms).toBeLessThan(WORST_CASE_MS + 700);
    });
  });

  it('connection refused (nothing listening) → 503 page at once', async () => {
    const [deadPort, port] = [await freePort(), await freePort()];
    const consumer = await spawnApp('users-consumer', { PORT: String(port), USERS_SERVICE_URL: `http://127.0.0.1:${deadPort}` });
    const { status, body, ms } = await get(`http://127.0.0.1:${port}/`);
    expect(status).toBe(503);
    expect(body).toContain('<h1>Serviço de usuários indisponível</h1>');
    expect(ms).toBeLessThan(1000);
    expect(consumer.lines(/"reason":"ECONNREFUSED"/).length).toBeGreaterThanOrEqual(1);
  });

  it('the circuit opens after consecutive failures: fast 503 with Retry-After, then recovers', async () => {
    const stub = await startStub();
    stub.set(() => undefined);
    const port = await freePort();
    const consumer = await spawnApp('users-consumer', {
      PORT: String(port),
      USERS_SERVICE_URL: stub.url,
      USERS_TIMEOUT_MS: '300',
      USERS_RETRIES: '0',
      USERS_BREAKER_THRESHOLD: '2',
      USERS_BREAKER_COOLDOWN_MS: '1500',
    });
    const page = `http://127.0.0.1:${port}/`;
    try {
      expect((await get(page)).status).toBe(503);
      expect((await get(page)).status).toBe(503);
      const open = await get(page);
      expect(open.status).toBe(503);
      expect(open.ms).toBeLessThan(150);
      expect(Number(open.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(stub.requests.filter((r) => r.url === '/users')).toHaveLength(2);

      stub.set(json(JSON.stringify([{ id: 1, nome: 'Ana', ativo_desde: '2020-01-02' }])));
      await sleep(1600);
      const recovered = await get(page);
      expect(recovered.status).toBe(200);
      expect(listItems(recovered.body)).toHaveLength(1);
      expect(consumer.running).toBe(true);
    } finally {
      stub.server.closeAllConnections();
      await new Promise((resolve) => stub.server.close(resolve));
    }
  });
});
