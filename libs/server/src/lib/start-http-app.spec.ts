import { BadRequestException, Controller, Get, Header, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from './start-http-app';

let slowEntered: () => void = () => undefined;

@Controller()
class ProbeController {
  @Get('ok')
  ok() {
    return { ok: true };
  }

  @Get('html')
  @Header('content-type', 'text/html; charset=utf-8')
  html() {
    return '<p>oi</p>';
  }

  @Get('bad')
  bad() {
    throw new BadRequestException('parâmetro x inválido');
  }

  @Get('slow')
  async slow() {
    slowEntered();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { done: true };
  }

  @Get('boom')
  boom() {
    throw new Error('segredo interno: senha=123');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('createHttpApp', () => {
  let app: NestFastifyApplication;
  let base: string;
  const logged: unknown[] = [];

  beforeAll(async () => {
    const record = (message: unknown) => void logged.push(message);
    app = await createHttpApp(ProbeModule, {
      name: 'spec',
      bodyLimit: 1024,
      logger: { log: record, error: record, warn: record },
      requestLog: record,
    });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  it('logs one structured line per request with method, url, status, duration and request id', async () => {
    await fetch(`${base}/ok`, { headers: { 'x-request-id': 'req-42' } });
    expect(logged).toContainEqual(
      expect.objectContaining({ method: 'GET', url: '/ok', status: 200, requestId: 'req-42', ms: expect.any(Number) }),
    );
  });

  it('echoes the request id and sets security headers', async () => {
    const response = await fetch(`${base}/ok`, { headers: { 'x-request-id': 'req-43' } });
    expect(response.headers.get('x-request-id')).toBe('req-43');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBeNull();
  });

  it('adds a content security policy to HTML', async () => {
    const response = await fetch(`${base}/html`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers an unknown route with a 404 JSON body', async () => {
    const response = await fetch(`${base}/nao-existe`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /nao-existe' });
  });

  it('shows the message of a 4xx error', async () => {
    const response = await fetch(`${base}/bad`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, message: 'parâmetro x inválido' });
  });

  it('hides the details of a 5xx error from the client', async () => {
    const response = await fetch(`${base}/boom`);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toMatchObject({ statusCode: 500, message: 'Erro interno do servidor' });
    expect(text).not.toContain('senha');
    expect(text).not.toContain('at ');
  });

  it('rejects a body over the limit with 413 JSON', async () => {
    const response = await fetch(`${base}/ok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'y'.repeat(4096) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('close() lets an in-flight request finish, then stops accepting connections', async () => {
    const other = await createHttpApp(ProbeModule, {
      name: 'spec-drain',
      logger: { log: () => undefined, error: () => undefined, warn: () => undefined },
    });
    await other.listen(0, '127.0.0.1');
    const url = await other.getUrl();
    const entered = new Promise<void>((resolve) => (slowEntered = resolve));
    const inFlight = fetch(`${url}/slow`);
    await entered; // the request is now being handled
    const closed = other.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closed;
    await expect(fetch(`${url}/ok`)).rejects.toThrow();
  });
});
