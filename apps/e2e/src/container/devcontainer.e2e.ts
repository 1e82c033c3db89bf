/**
 * The dev container (.devcontainer/devcontainer.json) as an editor opens it, through the Dev
 * Containers CLI: `devcontainer up` on a copy of the workspace, then commands inside it.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { docker, WORKSPACE_ROOT } from '@desafios/testing';
import { copyWorkspace } from '../support/dev-loop';

const run = promisify(execFile);
const CLI = join(WORKSPACE_ROOT, 'node_modules/.bin/devcontainer');

describe('dev container: devcontainer up, then Node 24, the Docker CLI and nx test inside', () => {
  let dir: string;
  let container: string;

  const exec = async (command: string[], timeoutMs = 300_000) => {
    const { stdout, stderr } = await run(CLI, ['exec', '--workspace-folder', dir, ...command], { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
    return `${stdout}${stderr}`;
  };

  beforeAll(async () => {
    dir = copyWorkspace('desafios-devcontainer-');
    const started = performance.now();
    const { stdout } = await run(CLI, ['up', '--workspace-folder', dir], { timeout: 900_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { outcome?: string; containerId?: string };
    expect(result.outcome).toBe('success');
    container = result.containerId as string;
    process.stdout.write(`dev-loop: devcontainer up: ${Math.round(performance.now() - started)} ms\n`);
  }, 960_000);

  afterAll(async () => {
    if (container) {
      const volumes = (await docker(['inspect', '--format', '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}', container])).split(' ').filter(Boolean);
      await docker(['rm', '-f', container]);
      if (volumes.length > 0) await docker(['volume', 'rm', ...volumes]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has Node 24, the workspace at /workspace and a Docker CLI that reaches the host engine', async () => {
    expect(await exec(['node', '--version'])).toMatch(/^v24\./);
    expect((await exec(['pwd'])).trim()).toBe('/workspace');
    expect((await exec(['docker', 'version', '--format', '{{.Server.Version}}'])).trim()).toBe(await docker(['version', '--format', '{{.Server.Version}}']));
  });

  it('has a Docker CLI recent engines accept (API >= 1.44, Engine 29 refuses older) with the compose v2 and buildx plugins', async () => {
    const api = (await exec(['docker', 'version', '--format', '{{.Client.APIVersion}}'])).trim();
    const [major, minor] = api.split('.').map(Number);
    expect({ api, accepted: major > 1 || (major === 1 && minor >= 44) }).toEqual({ api, accepted: true });
    // compose v2 as a CLI plugin, asked about the host engine's projects (a v1 binary or no plugin fails here).
    expect((await exec(['docker', 'compose', 'version', '--short'])).trim()).toMatch(/^v?2\.\d+\.\d+/);
    expect(await exec(['docker', 'compose', 'ls', '--all', '--format', 'json'])).toMatch(/^\[/);
    expect(await exec(['docker', 'buildx', 'version'])).toMatch(/github\.com\/docker\/buildx v?\d+\.\d+/);
  });

  it('runs a project\'s tests: npx nx test config', async () => {
    // Without the colour codes Jest and Nx add.
    const output = stripVTControlCharacters(await exec(['npx', 'nx', 'test', 'config', '--skip-nx-cache', '--output-style=stream'], 600_000));
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(output).toContain('Successfully ran target test for project config');
  });
});
