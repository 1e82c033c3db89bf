/**
 * `docker compose up` (here `create`, which goes through the same image step) on a machine without
 * the app's image: Compose builds it and never tries to pull it. The Compose spec says a service
 * with `pull_policy: never` fails when its image is missing; docker/compose builds a service that
 * has a `build` section instead (docs/decisions.md): this pins that behaviour. The image gets a name
 * nobody has (an override file), so the shared desafios/* images stay; after docker-build the build
 * is all cache.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeProject, docker } from '@desafios/testing';

const IMAGE = `desafios-e2e-nopull/greeting-server:${process.pid}-${Date.now()}`;

describe('compose: an app image that is missing is built, never pulled', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compose-no-pull-'));
  let project: ComposeProject;

  beforeAll(() => {
    writeFileSync(join(dir, 'override.yml'), `services:\n  greeting-server:\n    image: ${IMAGE}\n`);
    project = new ComposeProject('desafios-e2e-nopull', { COMPOSE_PROFILES: '' }, { files: ['docker-compose.yml', join(dir, 'override.yml')] });
  });

  afterAll(async () => {
    await project.run(['--profile', 'desafio1', 'down', '-v'], 120_000).catch(() => undefined);
    await docker(['image', 'rm', IMAGE]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 150_000);

  it('create greeting-server with no such image: built (tagged with the name), no pull attempted', async () => {
    await expect(docker(['image', 'inspect', IMAGE])).rejects.toThrow();
    const { stdout, stderr } = await project.run(['--profile', 'desafio1', 'create', 'greeting-server'], 600_000);
    const output = `${stdout}\n${stderr}`;
    // Compose announces a pull ("Pulling", "pull access denied…") before it falls back to a build.
    expect(output.split('\n').filter((line) => /\bpull/i.test(line))).toEqual([]);
    expect(output).toMatch(new RegExp(`naming to \\S*${IMAGE.replace(/[/.]/g, '\\$&')}`));
    expect(await docker(['image', 'inspect', '--format', '{{.Id}}', IMAGE])).toMatch(/^sha256:[0-9a-f]{64}$/);
  }, 660_000);
});
