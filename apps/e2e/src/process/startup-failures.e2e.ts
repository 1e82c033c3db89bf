/**
 * Start-up failures after the config is valid, on the built apps as real processes: the port is taken,
 * PostgreSQL refuses the password, PostgreSQL or Redis never answer within STARTUP_TIMEOUT_MS. Each
 * must end with exit code 1 and one line that names the cause and the variable to check, with no
 * stack trace and never the password. PostgreSQL 17 and Redis 7 are real containers (Testcontainers,
 * local images); "unreachable" is a closed port on 127.0.0.1.
 */
import { createServer, Server } from 'node:net';
import { PostgreSqlContainer, StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, StartedTestContainer, Wait } from 'testcontainers';
import { AppProcess, freePort, get, spawnApp, startApp, stopAllApps } from '@desafios/testing';

jest.setTimeout(120_000);

const PASSWORD = 'senha-certa-do-e2e';
const WRONG_PASSWORD = 'senha-errada-do-e2e';
/** Small budget so the "unreachable" cases end in ~2 s; the default is 10 s. */
const STARTUP_TIMEOUT_MS = 2000;
const FAILURE = /^Erro na partida do /;
/** A stack frame, bare ("    at f (file.js:1:2)") or inside a JSON log line. */
const STACK_FRAME = /(^\s+at )|(\bat .+:\d+:\d+\)?(\\n|$))/;

/** Waits for the exit and checks the shape every start-up failure shares; returns its one line. */
async function failsWithOneLine(app: AppProcess, { secret }: { secret?: string } = {}): Promise<string> {
  const { code } = await app.exit(30_000);
  const failures = app.output.filter((line) => FAILURE.test(line));
  const context = `output:\n${app.output.join('\n')}`;
  expect({ code, failures: failures.length, context }).toEqual({ code: 1, failures: 1, context });
  // The line is the last thing the app says; nothing before it is an error or a stack trace.
  expect(app.output.at(-1)).toBe(failures[0]);
  expect(app.output.filter((line) => STACK_FRAME.test(line) || line.includes('"stack"'))).toEqual([]);
  expect(app.output.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  if (secret) expect(app.output.join('\n')).not.toContain(secret);
  return failures[0];
}

/** A real TCP server holding a port on 127.0.0.1, as another program would. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** A port nothing listens on: connections are refused at once. */
const closedPort = freePort;

describe('start-up failures (processes): one line, exit 1, no stack', () => {
  afterEach(stopAllApps);

  describe.each([
    ['greeting-server', {}],
    ['users-service', {}],
    ['users-consumer', { USERS_SERVICE_URL: 'http://127.0.0.1:9/' }],
  ] as const)('%s', (name, env) => {
    it('port already in use: names the address and PORT', async () => {
      const { port, server } = await occupyPort();
      try {
        const app = startApp(name, { HOST: '127.0.0.1', PORT: String(port), ...env });
        expect(await failsWithOneLine(app)).toBe(
          `Erro na partida do ${name}: a porta 127.0.0.1:${port} já está em uso (PORT=${port}); pare o outro processo ou escolha outra PORT`,
        );
      } finally {
        server.close();
      }
    });
  });

  describe('web-gateway (real PostgreSQL 17 and Redis 7)', () => {
    let postgres: StartedPostgreSqlContainer;
    let redis: StartedTestContainer;

    beforeAll(async () => {
      [postgres, redis] = await Promise.all([
        new PostgreSqlContainer('postgres:17')
          .withDatabase('desafios')
          .withUsername('desafios')
          .withPassword(PASSWORD)
          .start(),
        new GenericContainer('redis:7')
          .withExposedPorts(6379)
          .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
          .start(),
      ]);
    });

    afterAll(async () => {
      await Promise.all([postgres?.stop(), redis?.stop()]);
    });

    /** Everything right (db and cache up) unless overridden. */
    const gatewayEnv = (overrides: Record<string, string> = {}) => ({
      HOST: '127.0.0.1',
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: String(postgres.getPort()),
      POSTGRES_DB: 'desafios',
      POSTGRES_USER: 'desafios',
      POSTGRES_PASSWORD: PASSWORD,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(redis.getMappedPort(6379)),
      CHECK_TIMEOUT_MS: '500',
      STARTUP_TIMEOUT_MS: String(STARTUP_TIMEOUT_MS),
      ...overrides,
    });

    it('with db and cache up it starts well within the budget and is ready', async () => {
      const port = await freePort();
      const app = await spawnApp('web-gateway', { ...gatewayEnv(), PORT: String(port) });
      expect((await get(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      // From Nest's first log line to "ouvindo em", by the app's own timestamps (process start-up excluded).
      const at = (pattern: RegExp) => (JSON.parse(app.lines(pattern)[0]) as { timestamp: number }).timestamp;
      expect(at(/ouvindo em/) - at(/Starting Nest application/)).toBeLessThan(STARTUP_TIMEOUT_MS);
    });

    it('port already in use: names the address and PORT', async () => {
      const { port, server } = await occupyPort();
      try {
        const app = startApp('web-gateway', gatewayEnv({ PORT: String(port) }));
        expect(await failsWithOneLine(app, { secret: PASSWORD })).toBe(
          `Erro na partida do web-gateway: a porta 127.0.0.1:${port} já está em uso (PORT=${port}); pare o outro processo ou escolha outra PORT`,
        );
      } finally {
        server.close();
      }
    });

    it('wrong PostgreSQL password: fails at once, names the user and the variables, never the password', async () => {
      const started = Date.now();
      const app = startApp('web-gateway', gatewayEnv({ PORT: String(await freePort()), POSTGRES_PASSWORD: WRONG_PASSWORD }));
      const line = await failsWithOneLine(app, { secret: WRONG_PASSWORD });
      expect(line).toBe(
        `Erro na partida do web-gateway: o PostgreSQL em 127.0.0.1:${postgres.getPort()} recusou o login do usuário "desafios" ` +
          '(password authentication failed for user "desafios"); confira POSTGRES_USER e POSTGRES_PASSWORD (ou POSTGRES_PASSWORD_FILE)',
      );
      expect(app.output.join('\n')).not.toContain(PASSWORD);
      // No retries: a wrong password does not fix itself.
      expect(Date.now() - started).toBeLessThan(STARTUP_TIMEOUT_MS + 3000);
    });

    it('PostgreSQL unreachable: gives up after STARTUP_TIMEOUT_MS, naming POSTGRES_HOST and POSTGRES_PORT', async () => {
      const pgPort = await closedPort();
      const started = Date.now();
      const app = startApp('web-gateway', gatewayEnv({ PORT: String(await freePort()), POSTGRES_PORT: String(pgPort) }));
      const line = await failsWithOneLine(app, { secret: PASSWORD });
      const elapsed = Date.now() - started;
      expect(line).toMatch(
        new RegExp(
          `^Erro na partida do web-gateway: PostgreSQL em 127\\.0\\.0\\.1:${pgPort} inacessível: \\d+ tentativa\\(s\\) em \\d+ ms ` +
            `\\(STARTUP_TIMEOUT_MS=${STARTUP_TIMEOUT_MS}\\), a última com ECONNREFUSED; confira POSTGRES_HOST e POSTGRES_PORT$`,
        ),
      );
      expect(elapsed).toBeGreaterThanOrEqual(STARTUP_TIMEOUT_MS);
      expect(elapsed).toBeLessThan(STARTUP_TIMEOUT_MS + 5000);
    });

    it('Redis unreachable: gives up after STARTUP_TIMEOUT_MS, naming REDIS_HOST and REDIS_PORT', async () => {
      const redisPort = await closedPort();
      const started = Date.now();
      const app = startApp('web-gateway', gatewayEnv({ PORT: String(await freePort()), REDIS_PORT: String(redisPort) }));
      const line = await failsWithOneLine(app, { secret: PASSWORD });
      const elapsed = Date.now() - started;
      expect(line).toMatch(
        new RegExp(
          `^Erro na partida do web-gateway: Redis em 127\\.0\\.0\\.1:${redisPort} inacessível: \\d+ tentativa\\(s\\) em \\d+ ms ` +
            `\\(STARTUP_TIMEOUT_MS=${STARTUP_TIMEOUT_MS}\\), a última com ECONNREFUSED; confira REDIS_HOST e REDIS_PORT$`,
        ),
      );
      expect(elapsed).toBeGreaterThanOrEqual(STARTUP_TIMEOUT_MS);
      expect(elapsed).toBeLessThan(STARTUP_TIMEOUT_MS + 5000);
    });
  });
});
