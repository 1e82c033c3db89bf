import { BadRequestException, Controller, Get, Header, Module } from '@nestjs/common';
import { createServer, Server } from 'node:net';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, HttpAppOptions, startHttpApp } from './start-http-app';
import { StartupError } from './startup-failure';

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
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
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

@Module({
  providers: [
    {
      provide: 'DEPENDENCY',
      useFactory: async () => {
        throw new StartupError('Redis em cache:6379 inacessível; confira REDIS_HOST e REDIS_PORT');
      },
    },
  ],
})
class UnreachableDependencyModule {}

@Module({
  providers: [
    {
      provide: 'BUG',
      useFactory: () => {
        throw new TypeError('x is not a function');
      },
    },
  ],
})
class BuggyModule {}

describe('startHttpApp when the start fails', () => {
  const signalListeners = () => [...process.listeners('SIGTERM'), ...process.listeners('SIGINT')];

  /** Runs startHttpApp with a fake exit; returns the exit code, what reached stderr and what was logged. */
  async function failedStart(module: Parameters<typeof startHttpApp>[0], options: Partial<HttpAppOptions> = {}) {
    const logged: unknown[][] = [];
    const record = (level: string) => (...args: unknown[]) => void logged.push([level, ...args]);
    const stderr: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: unknown) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
    const before = new Set(signalListeners());
    let exitCode: number | undefined;
    try {
      await startHttpApp(module, {
        name: 'spec-app',
        host: '127.0.0.1',
        port: 0,
        logger: { log: record('log'), error: record('error'), warn: record('warn') },
        requestLog: () => undefined,
        exit: (code): never => {
          exitCode = code;
          throw new Error(`exit ${code}`);
        },
        ...options,
      });
    } catch (error) {
      if (exitCode === undefined) throw error;
    } finally {
      process.stderr.write = write;
      // The SIGTERM handler startHttpApp installed before listening belongs to the real process only.
      for (const listener of signalListeners()) {
        if (!before.has(listener)) {
          process.removeListener('SIGTERM', listener);
          process.removeListener('SIGINT', listener);
        }
      }
    }
    return { exitCode, stderr, errors: logged.filter(([level]) => level === 'error') };
  }

  it('port in use: one line naming the address and PORT, exit 1, nothing logged as an error', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { exitCode, stderr, errors } = await failedStart(ProbeModule, { port });
      expect(exitCode).toBe(1);
      expect(stderr).toEqual([
        `Erro na partida do spec-app: a porta 127.0.0.1:${port} já está em uso (PORT=${port}); pare o outro processo ou escolha outra PORT\n`,
      ]);
      expect(errors).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('a StartupError from a provider: its one line, exit 1, no stack logged', async () => {
    const { exitCode, stderr, errors } = await failedStart(UnreachableDependencyModule);
    expect(exitCode).toBe(1);
    expect(stderr).toEqual([
      'Erro na partida do spec-app: Redis em cache:6379 inacessível; confira REDIS_HOST e REDIS_PORT\n',
    ]);
    expect(errors).toEqual([]);
  });

  it('a bug: its stack is logged once, then one line, exit 1', async () => {
    const { exitCode, stderr, errors } = await failedStart(BuggyModule);
    expect(exitCode).toBe(1);
    expect(stderr).toEqual(['Erro na partida do spec-app: x is not a function\n']);
    expect(errors).toHaveLength(1);
    expect(errors[0][1]).toBeInstanceOf(TypeError);
  });
});
