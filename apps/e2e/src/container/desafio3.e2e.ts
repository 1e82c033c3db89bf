/**
 * Desafio 3 in containers: the compose profile `desafio3` (web-gateway + PostgreSQL 17 + Redis 7)
 * under its own project name, driven like a person would: stop a dependency, watch the page say
 * so, start it again, watch the page recover; and the visit count living in the named volume.
 * Needs the image: npx nx run web-gateway:docker-build
 */
import { ComposeProject, docker, freePort, get, untilStatus } from '@desafios/testing';
import { artifactPath, launchChromium } from '../support/browser';
import { gatewayPage } from '../support/core-checks';

const PASSWORD = 'senha-do-e2e-d3';

interface Status {
  ok: boolean;
  db: { ok: boolean; versao?: string };
  cache: { ok: boolean; valor?: string };
  visitas: { ok: boolean; total?: number };
}

describe('desafio 3: web-gateway, db e cache (docker compose)', () => {
  let project: ComposeProject;
  let base: string;

  const up = () => project.run(['up', '-d', '--wait']);
  const status = async (): Promise<Status> => JSON.parse((await get(`${base}/status`)).body) as Status;
  const until200 = () => untilStatus(`${base}/`, 200, Date.now(), 30_000);

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    project = new ComposeProject('desafios-e2e-d3', {
      COMPOSE_PROFILES: 'desafio3',
      WEB_PORT: String(port),
      POSTGRES_PASSWORD: PASSWORD,
    });
    await project.run(['down', '-v', '--remove-orphans']);
    await up();
  });

  afterAll(async () => {
    await project?.run(['down', '-v', '--remove-orphans']);
  });

  it('GET / answers 200 with the PostgreSQL version and the value read back from Redis', async () => {
    const { headers, body } = await gatewayPage(base);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toMatch(/<dt>Total de visitas<\/dt><dd>\d+<\/dd>/);
  });

  it('a person sees the status page in Chromium (screenshot in test-artifacts/desafio3.png)', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
      const response = await page.goto(`${base}/`);
      expect(response?.status()).toBe(200);
      await expect(page.title()).resolves.toBe('Status: tudo certo · web-gateway');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Desafio 3 · web-gateway');
      expect(await page.getByRole('status').innerText()).toContain('Tudo funcionando');
      expect(await page.locator('#db').innerText()).toMatch(/Banco de dados \(PostgreSQL\)\s+conectado[\s\S]*PostgreSQL 17\./);
      // Accents arrive intact: the page is UTF-8 end to end.
      expect(await page.locator('#cache').innerText()).toMatch(/Cache \(Redis\)\s+conectado[\s\S]*Olá do Redis! Gravado às/);
      expect(await page.locator('#visitas').innerText()).toMatch(/Total de visitas\s+\d+/);
      await page.screenshot({ path: artifactPath('desafio3.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('only web-gateway is published on the host; the password never reaches its logs', async () => {
    const [db] = await project.containerIds('db');
    const [cache] = await project.containerIds('cache');
    expect(await docker(['port', db])).toBe('');
    expect(await docker(['port', cache])).toBe('');
    expect(await project.logs('web-gateway')).not.toContain(PASSWORD);
  });

  it('the cache is capped: maxmemory below the container limit, least-recently-used keys evicted', async () => {
    const [cache] = await project.containerIds('cache');
    const setting = async (name: string) => (await docker(['exec', cache, 'redis-cli', 'config', 'get', name])).split('\n')[1];
    const limit = Number(await docker(['inspect', '-f', '{{.HostConfig.Memory}}', cache]));
    const maxmemory = Number(await setting('maxmemory'));
    expect(maxmemory).toBeGreaterThan(0);
    expect(maxmemory).toBeLessThan(limit);
    expect(await setting('maxmemory-policy')).toBe('allkeys-lru');
  });

  describe.each([
    ['cache', 'Cache (Redis)'],
    ['db', 'Banco de dados (PostgreSQL)'],
  ] as const)('%s stopped and started again', (service, title) => {
    it('503 naming it within 2 s, then 200 again with no restart of web-gateway', async () => {
      const [gateway] = await project.containerIds('web-gateway');
      const startedAt = await docker(['inspect', '-f', '{{.State.StartedAt}}', gateway]);
      await project.run(['stop', service]);
      try {
        const { status: code, body, ms } = await get(`${base}/`);
        expect(code).toBe(503);
        expect(body).toContain(`Falha em: ${title}`);
        expect(ms).toBeLessThan(2000);
        expect((await status())[service].ok).toBe(false);
      } finally {
        await project.run(['start', service]);
      }
      await until200();
      expect(await status()).toMatchObject({ ok: true, db: { ok: true }, cache: { ok: true }, visitas: { ok: true } });
      expect(await docker(['inspect', '-f', '{{.State.StartedAt}}', gateway])).toBe(startedAt);
    });
  });

  it('the visit count survives down + up (volume kept) and starts over after down -v', async () => {
    await get(`${base}/`);
    const before = (await status()).visitas.total as number;
    expect(before).toBeGreaterThan(0);

    await project.run(['down']);
    await up();
    expect((await status()).visitas.total).toBe(before);
    await get(`${base}/`);
    expect((await status()).visitas.total).toBe(before + 1);

    await project.run(['down', '-v']);
    await up();
    expect((await status()).visitas.total).toBe(0);
  });
});
