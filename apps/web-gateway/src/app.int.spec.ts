/**
 * Integration: the whole app (in process) against a real PostgreSQL 17 and a real Redis 7, started
 * with Testcontainers from the local images. Host ports are fixed per run so a stopped container
 * comes back on the same address, as a compose service comes back under the same name.
 */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GenericContainer, StartedTestContainer, Wait } from 'testcontainers';
import { parseConfig } from '@desafios/config';
import { webGatewayConfig } from './app.config';
import { createHttpApp } from '@desafios/server';
import { docker, freePort, untilStatus } from '@desafios/testing';
import { AppModule } from './app.module';
import { StatusReport } from './status/status.report';

jest.setTimeout(120_000);

const TIMEOUT_MS = 1000;
const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };

describe('web-gateway against real PostgreSQL 17 and Redis 7', () => {
  let postgres: StartedTestContainer;
  let redis: StartedTestContainer;
  let app: NestFastifyApplication;
  let base: string;

  const page = async (path = '/') => {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
    const body = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body, ms: performance.now() - started };
  };
  const status = async () => {
    const { status: code, body, ms } = await page('/status');
    return { code, report: JSON.parse(body) as StatusReport, ms };
  };
  const healthy = () => untilStatus(`${base}/`, 200, Date.now(), 30_000);

  beforeAll(async () => {
    const [pgPort, redisPort] = await Promise.all([freePort(), freePort()]);
    [postgres, redis] = await Promise.all([
      new GenericContainer('postgres:17')
        .withEnvironment({ POSTGRES_DB: 'desafios', POSTGRES_USER: 'desafios', POSTGRES_PASSWORD: 'segredo-de-teste' })
        .withExposedPorts({ container: 5432, host: pgPort })
        // The entrypoint starts a temporary server first; the second "ready" line is the real one.
        .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start(),
      new GenericContainer('redis:7')
        .withExposedPorts({ container: 6379, host: redisPort })
        .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
        .start(),
    ]);
    const config = parseConfig(webGatewayConfig, {
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: String(pgPort),
      POSTGRES_PASSWORD: 'segredo-de-teste',
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(redisPort),
      CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    app = await createHttpApp(AppModule.register(config), { name: 'web-gateway-int', logger: silent });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  it('GET / renders the status page with the server version, the cached value and the visit count', async () => {
    const { status: code, type, body } = await page();
    expect(code).toBe(200);
    expect(type).toBe('text/html; charset=utf-8');
    expect(body).toContain('Tudo funcionando');
    expect(body).toMatch(/<dt>Versão<\/dt><dd>PostgreSQL 17\.\d+/);
    expect(body).toMatch(/<dt>Valor lido<\/dt><dd>Olá do Redis! Gravado às \d{4}-\d\d-\d\dT/);
    expect(body).toMatch(/<dt>Total de visitas<\/dt><dd>\d+<\/dd>/);
  });

  it('GET /status gives the same data as JSON', async () => {
    const { code, report } = await status();
    expect(code).toBe(200);
    expect(report).toMatchObject({
      ok: true,
      timeoutMs: TIMEOUT_MS,
      db: { ok: true, versao: expect.stringMatching(/^PostgreSQL 17\./) },
      cache: { ok: true, ttlMs: 60_000, valor: expect.stringContaining('Olá do Redis!') },
      visitas: { ok: true, total: expect.any(Number) },
    });
  });

  it('the cache round trip really lands in Redis, with a TTL', async () => {
    const { report } = await status();
    const keys = await docker(['exec', redis.getId(), 'redis-cli', '--scan', '--pattern', `*${report.cache.chave}`]);
    const key = keys.trim();
    expect(key).toBe(`web-gateway::${report.cache.chave}`);
    const stored = await docker(['exec', redis.getId(), 'redis-cli', 'GET', key]);
    expect(stored).toContain(report.cache.valor);
    const pttl = await docker(['exec', redis.getId(), 'redis-cli', 'PTTL', key]);
    expect(Number(pttl)).toBeGreaterThan(50_000);
    expect(Number(pttl)).toBeLessThanOrEqual(60_000);
  });

  it('counts each GET / once, atomically, in PostgreSQL (GET /status does not count)', async () => {
    const before = (await status()).report.visitas.total as number;
    await Promise.all(Array.from({ length: 20 }, () => page()));
    expect((await status()).report.visitas.total).toBe(before + 20);
    const total = await docker([
      'exec', postgres.getId(), 'psql', '-U', 'desafios', '-d', 'desafios', '-tAc', 'SELECT total FROM visitas WHERE id = 1',
    ]);
    expect(Number(total)).toBe(before + 20);
    // The schema came from the migration (recorded by TypeORM), not from synchronize.
    const migrations = await docker([
      'exec', postgres.getId(), 'psql', '-U', 'desafios', '-d', 'desafios', '-tAc', 'SELECT name FROM migrations',
    ]);
    expect(migrations.trim()).toBe('CreateVisitas1764201600000');
  });

  it('with the counter row gone, GET / still shows the server up and the counter down (503)', async () => {
    const psql = (sql: string) => docker(['exec', postgres.getId(), 'psql', '-U', 'desafios', '-d', 'desafios', '-tAc', sql]);
    const saved = await psql('WITH gone AS (DELETE FROM visitas WHERE id = 1 RETURNING total) SELECT total FROM gone');
    try {
      const { code, report } = await status();
      expect(code).toBe(503);
      expect(report.db).toMatchObject({ ok: true, versao: expect.stringMatching(/^PostgreSQL 17\./) });
      expect(report.visitas).toMatchObject({ ok: false, erro: 'contador de visitas ausente (as migrações rodaram?)' });
      expect((await page()).status).toBe(503);
    } finally {
      await psql(`INSERT INTO visitas (id, total) VALUES (1, ${Number(saved.trim())})`);
    }
    expect((await status()).report.visitas.total).toBe(Number(saved.trim()));
  });

  describe.each([
    ['cache', () => redis, 'Cache (Redis)'],
    ['db', () => postgres, 'Banco de dados (PostgreSQL)'],
  ] as const)('when %s', (name, container, title) => {
    it('is frozen (docker pause): 503 after the timeout, naming it; back to 200 once it answers again', async () => {
      await docker(['pause', container().getId()]);
      try {
        const { status: code, body, ms } = await page();
        expect(code).toBe(503);
        expect(body).toContain(`Falha em: ${title}`);
        expect(body).toContain('sem resposta em 1000 ms');
        expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
        expect(ms).toBeLessThan(2000);
        const health = await page('/health/ready');
        expect(health.status).toBe(503);
        expect(JSON.parse(health.body)).toMatchObject({ error: { [name]: { status: 'down' } } });
        expect((await page('/health/live')).status).toBe(200);
      } finally {
        await docker(['unpause', container().getId()]);
      }
      await healthy();
      expect((await status()).report[name].ok).toBe(true);
    });

    it('is stopped: 503 within 2 s naming it; back to 200 after it starts, with no restart of the app', async () => {
      await docker(['stop', container().getId()]);
      try {
        const { status: code, body, ms } = await page();
        expect(code).toBe(503);
        expect(body).toContain(`Falha em: ${title}`);
        expect(body).toMatch(/<section id="db" class="(ok|falha)">/);
        expect(ms).toBeLessThan(2000);
        const { report } = await status();
        expect(report[name]).toMatchObject({ ok: false, erro: expect.any(String) });
        // A refused connection fails at once: nothing waits in a queue for the timeout to expire.
        expect(report[name].erro).not.toContain('sem resposta');
        expect(report[name].ms).toBeLessThan(TIMEOUT_MS);
        process.stdout.write(`${name} parado: ${report[name].erro} (${report[name].ms} ms)\n`);
        // Only the one that is down is reported as down.
        expect(report[name === 'db' ? 'cache' : 'db'].ok).toBe(true);
      } finally {
        await docker(['start', container().getId()]);
      }
      await healthy();
      const { report } = await status();
      expect(report).toMatchObject({ ok: true, db: { ok: true }, cache: { ok: true }, visitas: { ok: true } });
    });
  });
});
