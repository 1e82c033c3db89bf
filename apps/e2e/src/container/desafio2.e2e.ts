import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ComposeProject, WORKSPACE_ROOT } from '@desafios/testing';
import { runPersisterJob } from '../support/core-checks';

/**
 * Desafio 2 with the real image and the real compose file: the job container is thrown away after
 * each run (`run --rm`), and the rows survive in the named volume dados_sqlite until `down -v`.
 * Needs the image: npx nx run sqlite-persister:docker-build
 */

const project = new ComposeProject('desafios-e2e-d2');
const SERVICE = 'sqlite-persister';

const compose = (args: string[]) => project.run(['--profile', 'desafio2', ...args]);

/** One `docker compose run --rm` of the job: its stdout lines, parsed. */
const runJob = (message: string) => runPersisterJob(project, message);

/** A shell in a new container of the service (same image, user, volume and hardening). */
async function shell(script: string): Promise<string> {
  const { stdout } = await compose(['run', '--rm', '-T', '--entrypoint', 'sh', SERVICE, '-c', script]);
  return stdout.trim();
}

describe('desafio 2: sqlite-persister with docker compose', () => {
  beforeAll(async () => {
    await compose(['down', '-v', '--remove-orphans']);
  });

  afterAll(async () => {
    await compose(['down', '-v']);
  });

  it('keeps the rows in the volume across run --rm and down, and loses them with down -v', async () => {
    const first = await runJob('primeira');
    expect(first.rows).toEqual([{ id: 1, mensagem: 'primeira' }]);
    expect(first.lines.at(-1)).toBe('1 registro(s)');

    const second = await runJob('segunda');
    expect(second.rows).toEqual([
      { id: 1, mensagem: 'primeira' },
      { id: 2, mensagem: 'segunda' },
    ]);
    expect(second.lines.at(-1)).toBe('2 registro(s)');
    // run --rm removed each job container; only the volume holds the data.
    expect(await project.containerIds(SERVICE)).toEqual([]);

    await compose(['down']); // volumes kept
    const third = await runJob('depois do down');
    expect(third.rows.map((row) => row.mensagem)).toEqual(['primeira', 'segunda', 'depois do down']);
    expect(third.lines.at(-1)).toBe('3 registro(s)');

    await compose(['down', '-v']); // the volume goes too
    const fresh = await runJob('volume novo');
    expect(fresh.rows).toEqual([{ id: 1, mensagem: 'volume novo' }]);
    expect(fresh.lines.at(-1)).toBe('1 registro(s)');
  });

  it('runs as the unprivileged user node, which owns /data and the database in the volume', async () => {
    await runJob('quem é o dono?');
    const [uid, user, dataOwner, fileOwner] = (
      await shell('id -u; id -un; stat -c %U:%G /data; stat -c %U:%G /data/meubanco.db')
    ).split('\n');
    expect(uid).not.toBe('0');
    expect({ uid, user, dataOwner, fileOwner }).toEqual({
      uid: '1000',
      user: 'node',
      dataOwner: 'node:node',
      fileOwner: 'node:node',
    });
  });

  it('stops with one line and exit code 1 when DB_PATH points to a folder node cannot write', async () => {
    // execFile directly: ComposeProject.run keeps the output of a failure but not its exit code.
    const result = await promisify(execFile)(
      'docker',
      ['compose', '-p', project.name, '--profile', 'desafio2', 'run', '--rm', '-T', '-e', 'DB_PATH=/app/meubanco.db', SERVICE],
      { cwd: WORKSPACE_ROOT, timeout: 120_000 },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout.trim()).toBe('');
    // stderr also carries compose's own progress lines; the job's output is the one "Erro" line.
    const appLines = result.stderr.split(/\r?\n/).filter((line) => /Erro|DB_PATH|^\s+at /.test(line));
    expect(appLines).toEqual([
      'Erro: DB_PATH="/app/meubanco.db": sem permissão de escrita na pasta "/app" (o SQLite cria ali o banco e os arquivos -wal e -shm)',
    ]);
  });
});
