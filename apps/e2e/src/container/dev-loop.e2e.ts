/**
 * The development loops of the README's "Desenvolvendo" section, run as a student runs them:
 * `docker compose watch` (compose.dev.yaml) on a copy of the workspace, whose files the test edits;
 * `nx serve web-gateway` on the host against the dev compose db and cache. Each edit-to-served time
 * is printed (the README quotes it); the bounds here only stop a hung loop.
 */
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeProject, docker, freePort, get, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import { Background, composeWatch, copyWorkspace, DEV_COMPOSE_FILES, edit } from '../support/dev-loop';

const report = (what: string, ms: number) => process.stdout.write(`dev-loop: ${what}: ${Math.round(ms)} ms\n`);

describe('dev loop: docker compose watch on desafio1 (a copy of the workspace)', () => {
  let dir: string;
  let project: ComposeProject;
  let watch: Background;
  let url: string;
  const imageId = () => docker(['image', 'inspect', '--format', '{{.Id}}', 'desafios/greeting-server:dev']);

  /** Edits a file of the copy and waits until `served` says the change is live; returns the time. */
  async function editAndWait(file: string, from: string, to: string, served: () => Promise<boolean>): Promise<number> {
    const started = performance.now();
    edit(dir, file, from, to);
    try {
      await waitFor(`the edit of ${file} to be served`, async () => {
        if (!watch.running) throw new Error('compose watch exited');
        return (await served()) ? true : undefined;
      }, { timeoutMs: 120_000, intervalMs: 250 });
    } catch (error) {
      throw new Error(`${(error as Error).message}\ncompose watch said:\n${watch.tail(60)}`, { cause: error });
    }
    return performance.now() - started;
  }

  beforeAll(async () => {
    dir = copyWorkspace('desafios-watch-');
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    project = new ComposeProject('desafios-e2e-watch', { GREETING_PORT: String(port), INTERVAL_MS: '1000' }, { cwd: dir, files: DEV_COMPOSE_FILES });
    await project.run(['--profile', 'desafio1', 'down', '-v', '--remove-orphans']);
    const started = performance.now();
    watch = composeWatch(project, 'desafio1');
    // Compose starts watching only once every service is up (curl-client waits for a healthy
    // greeting-server), a little after the first answer: an edit before that would be missed.
    await waitFor('greeting-server (dev stage) to answer and compose to watch', async () => {
      if (!watch.running) throw new Error(`compose watch exited:\n${watch.tail()}`);
      return watch.output.some((line) => line.includes('Watch enabled')) && (await get(url)).status === 200 ? true : undefined;
    }, { timeoutMs: 540_000, intervalMs: 1000 });
    report('watch up to first answer and watching (image build included)', performance.now() - started);
  }, 600_000);

  afterAll(async () => {
    await watch?.stop();
    await project?.run(['--profile', 'desafio1', 'down', '-v', '--remove-orphans']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the dev stage as user node, and the greeting as the normal image would', async () => {
    const [id] = await project.containerIds('greeting-server');
    expect(await docker(['inspect', '--format', '{{.Config.User}}', id])).toBe('node');
    expect((await get(url)).body).toBe('Olá do servidor NestJS no container!');
  });

  it('serves a change to apps/greeting-server/src without an image build', async () => {
    const before = await imageId();
    const text = `Olá do watch ${Date.now()}`;
    const ms = await editAndWait('apps/greeting-server/src/greeting/greeting.service.ts', 'Olá do servidor NestJS no container!', text, async () => (await get(url)).body === text);
    report('edit in apps/greeting-server/src to served', ms);
    expect(await imageId()).toBe(before);
  });

  it('serves a change to libs/server without an image build', async () => {
    const before = await imageId();
    const value = `lib-${Date.now()}`;
    const ms = await editAndWait('libs/server/src/lib/start-http-app.ts', "'x-frame-options': 'DENY',", `'x-frame-options': 'DENY',\n  'x-dev-loop': '${value}',`, async () => (await get(url)).headers.get('x-dev-loop') === value);
    report('edit in libs/server to served', ms);
    expect(await imageId()).toBe(before);
  });
});

describe('dev loop: npx nx serve web-gateway on the host, db and cache from compose.dev.yaml', () => {
  let dir: string;
  let project: ComposeProject;
  let serve: Background;
  let url: string;
  let pgPort: number;
  let redisPort: number;

  beforeAll(async () => {
    [pgPort, redisPort] = [await freePort(), await freePort()];
    project = new ComposeProject('desafios-e2e-hostloop', { DEV_POSTGRES_PORT: String(pgPort), DEV_REDIS_PORT: String(redisPort) }, { files: DEV_COMPOSE_FILES });
    await project.run(['--profile', 'desafio3', 'down', '-v', '--remove-orphans']);
    await project.run(['--profile', 'desafio3', 'up', '-d', '--wait', 'db', 'cache']);
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    // Without the Jest runner's NODE_OPTIONS: the loop runs as it does in a terminal.
    const env = { ...process.env, NODE_OPTIONS: '' };
    // A copy (no dist/ from earlier builds) that shares the installed packages.
    dir = copyWorkspace('desafios-serve-');
    symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(dir, 'node_modules'));
    const started = performance.now();
    serve = new Background('npx', ['nx', 'serve', 'web-gateway', '--output-style=stream'], {
      cwd: dir,
      env: { ...env, HOST: '127.0.0.1', PORT: String(port), POSTGRES_HOST: '127.0.0.1', POSTGRES_PORT: String(pgPort), REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort) },
    });
    await waitFor('nx serve web-gateway to answer', async () => {
      if (!serve.running) throw new Error(`nx serve exited:\n${serve.tail()}`);
      return (await get(url)).status === 200 ? true : undefined;
    }, { timeoutMs: 240_000, intervalMs: 1000 });
    report('nx serve web-gateway to first answer', performance.now() - started);
  }, 300_000);

  afterAll(async () => {
    await serve?.stop();
    await project?.run(['--profile', 'desafio3', 'down', '-v', '--remove-orphans']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves a change to apps/web-gateway/src', async () => {
    const title = `Desafio 3 · editado ${Date.now()}`;
    const started = performance.now();
    edit(dir, 'apps/web-gateway/src/status/status.page.ts', '<h1>Desafio 3 · web-gateway</h1>', `<h1>${title}</h1>`);
    await waitFor('the edit of web-gateway to be served', async () => {
      if (!serve.running) throw new Error(`nx serve exited:\n${serve.tail()}`);
      return (await get(url)).body.includes(title) ? true : undefined;
    }, { timeoutMs: 180_000, intervalMs: 250 });
    report('edit in apps/web-gateway/src to served (nx serve on the host)', performance.now() - started);
  });

  it('renders the status page from the real PostgreSQL and Redis', async () => {
    const status = JSON.parse((await get(`${url}status`)).body) as { db: { ok: boolean; versao?: string }; cache: { ok: boolean } };
    expect(status.db.ok).toBe(true);
    expect(status.db.versao).toMatch(/PostgreSQL 17/);
    expect(status.cache.ok).toBe(true);
  });

  it('db and cache are published on 127.0.0.1 only, and only with compose.dev.yaml', async () => {
    for (const [service, port] of [['db', pgPort], ['cache', redisPort]] as const) {
      const [id] = await project.containerIds(service);
      const bindings = JSON.parse(await docker(['inspect', '--format', '{{json .NetworkSettings.Ports}}', id])) as Record<string, { HostIp: string; HostPort: string }[] | null>;
      const published = Object.values(bindings).flatMap((list) => list ?? []);
      expect(published).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    }
    const normal = JSON.parse((await new ComposeProject('desafios-e2e-hostloop', {}).run(['--profile', 'desafio3', 'config', '--format', 'json'])).stdout) as { services: Record<string, { ports?: unknown[] }> };
    expect(normal.services.db.ports ?? []).toEqual([]);
    expect(normal.services.cache.ports ?? []).toEqual([]);
  });
});
