import type { LoggerService } from '@nestjs/common';
import { hostname } from 'node:os';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@desafios/server';
import { usersSchema } from '@desafios/users-contract';
import { AppModule } from '../app.module';
import { setupOpenApi } from '../openapi';
import { USERS_SEED } from './users.seed';

/** The whole app (Fastify, error filter, request ids, OpenAPI) on a real loopback socket. */
describe('users-service over HTTP', () => {
  const logs: unknown[] = [];
  const logger: LoggerService = {
    log: (message) => logs.push(message),
    error: (message) => logs.push(message),
    warn: (message) => logs.push(message),
  };
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await createHttpApp(AppModule, { name: 'users-service', logger, requestLog: (entry) => logs.push(entry) });
    setupOpenApi(app);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, type: response.headers.get('content-type'), headers: response.headers, body: (await response.json()) as unknown };
  };

  it('GET /users lists every seed user in the contract shape', async () => {
    const { status, type, body } = await get('/users');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    const users = body as Record<string, unknown>[];
    expect(usersSchema.parse(users)).toEqual(USERS_SEED);
    expect(users.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(users[0]).sort()).toEqual(['ativo_desde', 'id', 'nome']);
  });

  it('GET /users and /users/:id say which replica answered (x-served-by = host name)', async () => {
    expect((await get('/users')).headers.get('x-served-by')).toBe(hostname());
    expect((await get('/users/1')).headers.get('x-served-by')).toBe(hostname());
  });

  it('GET /users/:id returns one user', async () => {
    const { status, body } = await get('/users/2');
    expect(status).toBe(200);
    expect(body).toEqual(USERS_SEED[1]);
  });

  it('GET /users/:id answers 404 JSON for an unknown id', async () => {
    const { status, type, body } = await get('/users/999');
    expect(status).toBe(404);
    expect(type).toMatch(/^application\/json/);
    expect(body).toMatchObject({ statusCode: 404, message: 'Usuário 999 não encontrado' });
  });

  it.each(['abc', '1.5', '2a'])('GET /users/%s answers 400 JSON', async (id) => {
    const { status, body } = await get(`/users/${id}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, message: 'O id do usuário deve ser um número inteiro' });
  });

  it('echoes and logs the caller\'s X-Request-Id', async () => {
    const { headers } = await get('/users', { 'x-request-id': 'teste-users-123' });
    expect(headers.get('x-request-id')).toBe('teste-users-123');
    expect(logs).toContainEqual(expect.objectContaining({ url: '/users', requestId: 'teste-users-123', status: 200 }));
  });

  it('serves an OpenAPI description of both routes', async () => {
    const { status, body } = await get('/openapi.json');
    const document = body as { openapi: string; paths: object; components: { schemas: Record<string, { required: string[] }> } };
    expect(status).toBe(200);
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/users', '/users/{id}']));
    expect(document.components.schemas.UserDto.required).toEqual(expect.arrayContaining(['id', 'nome', 'ativo_desde']));
  });

  it('serves the Swagger UI page at /docs', async () => {
    const response = await fetch(`${base}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
    // Its own scripts only: the no-script policy of the other HTML pages would leave it blank.
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
