import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { UsersConsumerConfig } from '../app.config';
import { createHttpApp } from '@desafios/server';
import { AppModule } from '../app.module';
import { StubUpstream } from '@desafios/http-upstream/testing';

/** The whole consumer (Fastify, page, client, health) on loopback, in front of a stub users-service. */
describe('users-consumer over HTTP', () => {
  const logs: unknown[] = [];
  const logger: LoggerService = { log: (m) => logs.push(m), error: (m) => logs.push(m), warn: (m) => logs.push(m) };
  let stub: StubUpstream;
  let app: NestFastifyApplication;
  let base: string;
  let users: unknown = [];

  beforeAll(async () => {
    stub = await new StubUpstream().listen();
    const config: UsersConsumerConfig = {
      HOST: '127.0.0.1',
      PORT: 5000,
      METRICS_ENABLED: true,
      USERS_SERVICE_URL: stub.url,
      USERS_TIMEOUT_MS: 300,
      USERS_RETRIES: 1,
      USERS_BREAKER_THRESHOLD: 100,
      USERS_BREAKER_COOLDOWN_MS: 1000,
    };
    app = await createHttpApp(AppModule.register(config), { name: 'users-consumer', logger, requestLog: (entry) => logs.push(entry) });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
    await stub.close();
  });

  beforeEach(() => {
    users = [
      { id: 1, nome: 'Ana Souza', ativo_desde: '2019-03-11' },
      { id: 7, nome: '<script>alert(1)</script>', ativo_desde: '2024-01-31' },
    ];
    stub.handler = (request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(request.url === '/users' ? JSON.stringify(users) : '{"status":"ok"}');
    };
  });

  const page = async (headers: Record<string, string> = {}) => {
    const started = performance.now();
    const response = await fetch(base, { headers });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
  };

  it('renders the list, escaping every upstream string', async () => {
    const { status, headers, body } = await page();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toContain('<span class="nome">Ana Souza</span>');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script');
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('passes the caller\'s X-Request-Id to users-service and logs it', async () => {
    const before = stub.requests.length;
    const { headers } = await page({ 'x-request-id': 'pagina-42' });
    expect(headers.get('x-request-id')).toBe('pagina-42');
    expect(stub.requests[before].headers['x-request-id']).toBe('pagina-42');
    expect(logs).toContainEqual(expect.objectContaining({ url: '/', requestId: 'pagina-42', status: 200 }));
  });

  it('creates a request id when the given one is unsafe, and still passes it on', async () => {
    const before = stub.requests.length;
    const { headers } = await page({ 'x-request-id': 'a b<c>' });
    const id = headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stub.requests[before].headers['x-request-id']).toBe(id);
  });

  it('answers a 502 HTML page when users-service breaks the contract', async () => {
    users = [{ id: 'um', nome: 'Ana' }];
    const { status, headers, body } = await page();
    expect(status).toBe(502);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toContain('<h1>Resposta inválida do serviço de usuários</h1>');
  });

  it('answers a 503 HTML page, within timeout × attempts, when users-service is silent', async () => {
    stub.hang();
    const { status, body, ms } = await page();
    expect(status).toBe(503);
    expect(body).toContain('<h1>Serviço de usuários indisponível</h1>');
    expect(ms).toBeLessThan(2 * 300 + 100 + 500);
  });

  it('is ready while users-service is ready, and says why not otherwise', async () => {
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ details: { 'users-service': { status: 'up', circuito: 'fechado' } } });
    stub.reply(503, { status: 'error' });
    const notReady = await fetch(`${base}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(JSON.stringify(await notReady.json())).toContain('users-service');
  });
});
