import { parseUsers, userSchema } from '@desafios/users-contract';
import { freePort, get, spawnApp, stopAllApps } from '@desafios/testing';

/**
 * Contract test: the schema users-consumer validates with, checked against what the built
 * users-service really serves. A change on either side that breaks the other fails here.
 */
describe('Desafio 4: contract between users-service and users-consumer', () => {
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    await spawnApp('users-service', { PORT: String(port) });
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(() => stopAllApps());

  it('GET /users satisfies the consumer\'s schema, with at least 3 users', async () => {
    const { status, headers, body } = await get(`${base}/users`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    const result = parseUsers(JSON.parse(body));
    if (!result.ok) throw new Error(`users-service saiu do contrato: ${result.problem}`);
    expect(result.users.length).toBeGreaterThanOrEqual(3);
    // Exactly the contract's fields: nothing the consumer would silently drop.
    for (const user of JSON.parse(body) as object[]) {
      expect(Object.keys(user).sort()).toEqual(Object.keys(userSchema.shape).sort());
    }
  });

  it('GET /users/:id serves each listed user in the same shape', async () => {
    const list = JSON.parse((await get(`${base}/users`)).body) as { id: number }[];
    for (const { id } of list) {
      const { status, body } = await get(`${base}/users/${id}`);
      expect(status).toBe(200);
      expect(userSchema.parse(JSON.parse(body))).toEqual(list.find((user) => user.id === id));
    }
  });

  it.each([
    ['/users/999999', 404],
    ['/users/abc', 400],
  ])('GET %s answers %i with a JSON error body', async (path, statusCode) => {
    const { status, headers, body } = await get(`${base}${path}`);
    expect(status).toBe(statusCode);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toMatchObject({ statusCode, message: expect.any(String), requestId: expect.any(String) });
  });

  it('the published OpenAPI description requires the contract\'s fields', async () => {
    const { status, body } = await get(`${base}/openapi.json`);
    expect(status).toBe(200);
    const document = JSON.parse(body) as {
      paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }>;
      components: { schemas: Record<string, { required?: string[]; properties: Record<string, { type: string }> }> };
    };
    expect(document.paths['/users'].get?.responses['200'].content?.['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/UserDto' },
    });
    const user = document.components.schemas.UserDto;
    expect(user.required?.sort()).toEqual(Object.keys(userSchema.shape).sort());
    expect(user.properties).toMatchObject({ id: { type: 'number' }, nome: { type: 'string' }, ativo_desde: { type: 'string' } });
  });
});
