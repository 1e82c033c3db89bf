/**
 * What keeps the workspace working on other machines: LF line endings whatever git's autocrlf says
 * (.gitattributes), and every host port set by a variable that .env.example lists.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ComposeProject, docker, freePort, get, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import { DEV_COMPOSE_FILES } from '../support/dev-loop';

const run = promisify(execFile);

describe('portability: a CRLF checkout, and host ports from .env.example', () => {
  it('a clone with core.autocrlf=true has LF in every text file, and its image builds and serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desafios-crlf-'));
    const tag = `desafios-e2e/crlf-greeting:${Date.now()}`;
    let container = '';
    try {
      execFileSync('git', ['-c', 'core.autocrlf=true', 'clone', '-q', '--config', 'core.autocrlf=true', WORKSPACE_ROOT, dir], { timeout: 120_000 });
      // `--eol`: git's verdict per file; binary ones (`i/-text`, e.g. a PNG, whose signature holds \r\n) are never converted.
      const entries = execFileSync('git', ['ls-files', '--eol'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
      const files = entries.filter((entry) => !entry.startsWith('i/-text')).map((entry) => entry.split('\t')[1]);
      expect(files.length).toBeGreaterThan(100);
      const withCrlf = files.filter((file) => readFileSync(join(dir, file)).includes('\r\n'));
      expect(withCrlf).toEqual([]);
      for (const script of files.filter((file) => file.endsWith('.sh') || file === '.ci/run')) {
        execFileSync('bash', ['-n', join(dir, script)]);
      }
      await run('docker', ['build', '-q', '-f', 'docker/Dockerfile', '--target', 'http-app', '--build-arg', 'APP=greeting-server', '-t', tag, '.'], { cwd: dir, timeout: 900_000 });
      const port = await freePort();
      container = await docker(['run', '-d', '--init', '-p', `127.0.0.1:${port}:8080`, tag]);
      const answer = await waitFor('the image built from the CRLF clone to answer', async () => {
        const response = await get(`http://127.0.0.1:${port}/`);
        return response.status === 200 ? response.body : undefined;
      }, { timeoutMs: 60_000, intervalMs: 500 });
      expect(answer).toBe('Olá do servidor NestJS no container!');
    } finally {
      if (container) await docker(['rm', '-f', container]);
      await docker(['image', 'rm', '-f', tag]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 960_000);

  it('every published host port (dev file included) comes from a variable listed in .env.example', async () => {
    const composeText = DEV_COMPOSE_FILES.map((file) => readFileSync(join(WORKSPACE_ROOT, file), 'utf8')).join('\n');
    const variables = [...new Set([...composeText.matchAll(/\$\{([A-Z_]+):-\d+\}:\d+/g)].map(([, name]) => name))];
    expect(variables.length).toBeGreaterThanOrEqual(6);
    const example = readFileSync(join(WORKSPACE_ROOT, '.env.example'), 'utf8');
    for (const name of variables) expect(example).toMatch(new RegExp(`^${name}=\\d+$`, 'm'));

    // Each variable set to a port of its own: every published port of every profile must be one of them.
    const values = Object.fromEntries(variables.map((name, i) => [name, String(41000 + i)]));
    const config = JSON.parse((await new ComposeProject('desafios-e2e-ports', values, { files: DEV_COMPOSE_FILES }).run(['--profile', 'all', '--profile', 'observabilidade', 'config', '--format', 'json'])).stdout) as {
      services: Record<string, { ports?: { published?: string }[] }>;
    };
    const published = Object.values(config.services).flatMap((service) => (service.ports ?? []).map((p) => String(p.published)));
    expect(published.length).toBe(variables.length);
    expect(published.sort()).toEqual(Object.values(values).sort());
  });
});
