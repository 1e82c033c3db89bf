import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@desafios/server';
import { AppModule } from './app.module';

// The whole app on a real socket: routes, content types, errors and health as a client sees them.
describe('greeting-server', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    const quiet = { log: () => undefined, error: () => undefined, warn: () => undefined };
    app = await createHttpApp(AppModule, { name: 'greeting-server', logger: quiet });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  it('GET / answers the greeting as UTF-8 plain text', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('Olá do servidor NestJS no container!');
  });

  it('an unknown route is a 404 with a JSON body', async () => {
    const response = await fetch(`${base}/nao/existe`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it.each(['/health/live', '/health/ready'])('%s is 200', async (path) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
