import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, startApp, stopAllApps, WORKSPACE_ROOT } from '../support/processes';
import { sleep, waitFor } from '../support/wait';

/**
 * Desafio 2 without Docker: the built job (dist/apps/sqlite-persister/main.js) run as real processes
 * on real SQLite files in a temp folder. What the container adds (user node, named volume) is
 * covered by src/container/desafio2.e2e.ts.
 */

const APP = 'sqlite-persister';
const ROW = /^#(\d+) \| (.*) \| (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string[];
  rows: { id: number; mensagem: string; criadoEm: string }[];
}

async function finish(app: AppProcess, timeoutMs = 45_000): Promise<Run> {
  const { code, signal } = await app.exit(timeoutMs);
  const rows = app.output
    .map((line) => ROW.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, id, mensagem, criadoEm]) => ({ id: Number(id), mensagem, criadoEm }));
  return { code, signal, output: [...app.output], rows };
}

function run(env: Record<string, string>): Promise<Run> {
  return finish(startApp(APP, env));
}

/**
 * better-sqlite3 12 aborts the process on Node >= 24.19 when the GC finalizes one of its objects
 * outside a Node environment, which happens inside Jest's sandbox; so the test's own SQLite work
 * runs in short plain `node` processes (same driver, same files), never in the Jest process.
 */
function sqliteScript(path: string, body: string): string[] {
  return ['-e', `const db = new (require('better-sqlite3'))(process.argv[1]);\n${body}`, path];
}

/** The rows as SQLite itself sees them (a separate connection, closed before returning). */
function readDatabase(path: string): { integrity: string; rows: { id: number; mensagem: string }[] } {
  const output = execFileSync(
    process.execPath,
    sqliteScript(
      path,
      `const integrity = db.pragma('integrity_check', { simple: true });
       const rows = db.prepare('SELECT id, mensagem FROM registros ORDER BY id').all();
       db.close();
       process.stdout.write(JSON.stringify({ integrity, rows }));`,
    ),
    { cwd: WORKSPACE_ROOT, encoding: 'utf8', timeout: 30_000 },
  );
  return JSON.parse(output);
}

/** Every file in a folder with its bytes: "unchanged" means equal snapshots (no -wal/-shm added). */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name)).toString('base64')]),
  );
}

describe('desafio 2: sqlite-persister as a process', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'desafio2-'));
  });

  afterEach(async () => {
    await stopAllApps();
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('first run prints 1 row, second prints 2; the file is all that is left', async () => {
    const path = join(dir, 'meubanco.db');
    const first = await run({ DB_PATH: path });
    expect(first.code).toBe(0);
    expect(first.rows).toEqual([{ id: 1, mensagem: 'Dado persistido!', criadoEm: expect.any(String) }]);
    expect(first.output.at(-1)).toBe('1 registro(s)');
    expect(first.output).toHaveLength(2);
    expect(readdirSync(dir)).toEqual(['meubanco.db']);

    const second = await run({ DB_PATH: path, MESSAGE: 'segunda execução' });
    expect(second.code).toBe(0);
    expect(second.rows.map(({ id, mensagem }) => [id, mensagem])).toEqual([
      [1, 'Dado persistido!'],
      [2, 'segunda execução'],
    ]);
    expect(second.rows[0].criadoEm).toBe(first.rows[0].criadoEm);
    expect(new Date(second.rows[1].criadoEm).getTime()).toBeGreaterThan(new Date(first.rows[0].criadoEm).getTime());
    expect(second.output.at(-1)).toBe('2 registro(s)');
    expect(readdirSync(dir)).toEqual(['meubanco.db']);
  });

  it('survives frequent garbage collection (better-sqlite3 12 on Node >= 24.19 aborted here)', async () => {
    // A 1 MB young generation makes V8 collect many times per run. Before the job kept its
    // better-sqlite3 objects alive (sqlite.driver.ts), most such runs died with exit code 134,
    // "Assertion failed: (env) != nullptr" in Statement::~Statement().
    const path = join(dir, 'meubanco.db');
    for (let i = 1; i <= 6; i += 1) {
      const result = await run({ DB_PATH: path, MESSAGE: `gc-${i}`, NODE_OPTIONS: '--max-semi-space-size=1' });
      expect({ i, code: result.code, signal: result.signal, last: result.output.at(-1) }).toEqual({
        i,
        code: 0,
        signal: null,
        last: `${i} registro(s)`,
      });
    }
  }, 120_000);

  describe('10 runs started at the same moment', () => {
    async function runTogether(path: string, tag: string): Promise<Run[]> {
      const apps = Array.from({ length: 10 }, (_, i) => startApp(APP, { DB_PATH: path, MESSAGE: `${tag}-${i}` }));
      return Promise.all(apps.map((app) => finish(app, 90_000)));
    }

    function expectAllSucceeded(runs: Run[], tag: string): void {
      for (const [i, result] of runs.entries()) {
        expect({ i, code: result.code, errors: result.output.filter((line) => !ROW.test(line) && !/registro\(s\)$/.test(line)) })
          .toEqual({ i, code: 0, errors: [] });
        // Each run lists its own row: the insert had committed before the listing read.
        expect(result.rows.map((row) => row.mensagem)).toContain(`${tag}-${i}`);
      }
    }

    it('on a new file (twice, each time a new file): all exit 0 and add exactly 10 rows', async () => {
      // The first runs race to create the schema; without the IMMEDIATE transaction around the
      // migration, one of them sometimes fails with `table "migrations" already exists`.
      for (const round of ['a', 'b']) {
        const path = join(dir, `novo-${round}.db`);
        const runs = await runTogether(path, round);
        expectAllSucceeded(runs, round);
        const { integrity, rows } = readDatabase(path);
        expect(integrity).toBe('ok');
        expect(rows.map((row) => row.mensagem).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${round}-${i}`).sort());
        expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      }
      expect(readdirSync(dir).sort()).toEqual(['novo-a.db', 'novo-b.db']);
    }, 240_000);

    it('on an existing file: all exit 0 and add exactly 10 rows to the ones already there', async () => {
      const path = join(dir, 'meubanco.db');
      for (const message of ['antes-1', 'antes-2']) expect((await run({ DB_PATH: path, MESSAGE: message })).code).toBe(0);
      const runs = await runTogether(path, 'junto');
      expectAllSucceeded(runs, 'junto');
      const { integrity, rows } = readDatabase(path);
      expect(integrity).toBe('ok');
      expect(rows).toHaveLength(12);
      expect(rows.slice(0, 2).map((row) => row.mensagem)).toEqual(['antes-1', 'antes-2']);
      expect(rows.slice(2).map((row) => row.mensagem).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `junto-${i}`).sort());
    }, 180_000);
  });

  describe('bad input stops the run with one line and exit code 1, changing nothing', () => {
    async function expectRejected(env: Record<string, string>, message: RegExp, watched = dir): Promise<void> {
      const before = snapshot(watched);
      const result = await run(env);
      expect(result.code).toBe(1);
      expect(result.output).toHaveLength(1);
      expect(result.output[0]).toMatch(message);
      expect(snapshot(watched)).toEqual(before);
    }

    async function existingDatabase(path: string): Promise<void> {
      expect((await run({ DB_PATH: path, MESSAGE: 'já estava aqui' })).code).toBe(0);
    }

    it('a DB_PATH whose folder is missing (the folder is not created)', async () => {
      const path = join(dir, 'nao-existe', 'meubanco.db');
      await expectRejected({ DB_PATH: path }, /^Erro: DB_PATH=".*\/nao-existe\/meubanco\.db": a pasta ".*\/nao-existe" não existe/);
      expect(existsSync(join(dir, 'nao-existe'))).toBe(false);
    });

    it('a DB_PATH whose folder is not writable (an existing database stays as it was)', async () => {
      const folder = join(dir, 'somente-leitura');
      mkdirSync(folder);
      const path = join(folder, 'meubanco.db');
      await existingDatabase(path);
      chmodSync(folder, 0o555);
      chmodSync(dir, 0o755);
      const before = snapshot(folder);
      // root may write anywhere, so as root the job runs as an unprivileged user, as in the image.
      const app = process.getuid?.() === 0 ? startAppAs(65534, { DB_PATH: path }) : startApp(APP, { DB_PATH: path });
      const result = await finish(app);
      expect(result.code).toBe(1);
      expect(result.output).toEqual([
        `Erro: DB_PATH=${JSON.stringify(path)}: sem permissão de escrita na pasta ${JSON.stringify(folder)} (o SQLite cria ali o banco e os arquivos -wal e -shm)`,
      ]);
      expect(snapshot(folder)).toEqual(before);
    });

    it('a DB_PATH that is a text file (left byte-for-byte unchanged)', async () => {
      const path = join(dir, 'anotacoes.txt');
      writeFileSync(path, 'minhas anotações: não apague\n'.repeat(200));
      await expectRejected({ DB_PATH: path }, /^Erro: DB_PATH=".*\/anotacoes\.txt": o arquivo existe mas não é um banco SQLite; ele não foi alterado$/);
    });

    it('a file with a SQLite header but no valid database behind it (SQLite itself refuses it)', async () => {
      const path = join(dir, 'falso.db');
      writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8176, 0x5a)]));
      await expectRejected(
        { DB_PATH: path },
        /^Erro: DB_PATH=".*\/falso\.db": o (arquivo não é um banco SQLite|banco está corrompido) \(SQLITE_[A-Z_]+\)$/,
      );
    });

    it('a DB_PATH that cannot name a file (config error, before anything is opened)', async () => {
      await expectRejected(
        { DB_PATH: ':memory:' },
        /^Erro de configuração: DB_PATH: valor inválido ":memory:" \(não grava em disco\); esperado o caminho de um arquivo/,
      );
    });
  });

  describe('SIGKILL during a run', () => {
    /** Resolves once the process holds the database file open (Linux /proc), i.e. it is mid-run. */
    function waitUntilOpened(app: AppProcess, path: string): Promise<true> {
      return waitFor(`pid ${app.pid} to open ${path}`, () => {
        if (!app.running) throw new Error(`exited early:\n${app.output.join('\n')}`);
        const fds = readdirSync(`/proc/${app.pid}/fd`);
        return fds.some((fd) => safeReadlink(`/proc/${app.pid}/fd/${fd}`) === path) ? true : undefined;
      }, { timeoutMs: 30_000, intervalMs: 20 });
    }

    it('killed while waiting for the write lock: nothing committed is lost, nothing half-written appears', async () => {
      const path = join(dir, 'meubanco.db');
      for (const message of ['um', 'dois']) expect((await run({ DB_PATH: path, MESSAGE: message })).code).toBe(0);

      // Another process holds the write lock with an uncommitted row, so the job blocks inside SQLite.
      const holder = spawn(
        process.execPath,
        sqliteScript(
          path,
          `db.exec('BEGIN IMMEDIATE');
           db.prepare("INSERT INTO registros (mensagem, criado_em) VALUES ('do outro', '2026-01-01 00:00:00.000')").run();
           console.log('travado');
           process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); });`,
        ),
        { cwd: WORKSPACE_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const holderExit = new Promise((resolve) => holder.once('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.once('data', () => resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const victim = startApp(APP, { DB_PATH: path, MESSAGE: 'morto' });
      await waitUntilOpened(victim, path);
      await sleep(300);
      victim.kill('SIGKILL');
      expect(await victim.exit()).toEqual({ code: null, signal: 'SIGKILL' });
      holder.stdin?.end('commit\n');
      expect(await holderExit).toBe(0);

      const after = await run({ DB_PATH: path, MESSAGE: 'depois' });
      expect(after.code).toBe(0);
      expect(after.rows.map((row) => row.mensagem)).toEqual(['um', 'dois', 'do outro', 'depois']);
      expect(readDatabase(path).integrity).toBe('ok');
    });

    it('killed at many points of a run, from a new file on: integrity ok and every committed row kept', async () => {
      const path = join(dir, 'meubanco.db');
      let committed: { id: number; mensagem: string }[] = [];
      // From "still starting" to "already done": the early kills land before or during the
      // migration of the new file, the later ones around the insert and the listing.
      for (const [i, delayMs] of [150, 400, 700, 1000, 1300, 1600, 2000, 2500].entries()) {
        const victim = startApp(APP, { DB_PATH: path, MESSAGE: `vitima-${i}` });
        await sleep(delayMs);
        victim.kill('SIGKILL');
        const result = await finish(victim);
        if (!existsSync(path)) continue; // killed before the file was created
        const { integrity, rows } = readDatabase(path);
        expect(integrity).toBe('ok');
        expect(rows).toEqual(expect.arrayContaining(committed));
        // A run that got as far as listing had committed its row.
        if (result.rows.some((row) => row.mensagem === `vitima-${i}`)) {
          expect(rows.map((row) => row.mensagem)).toContain(`vitima-${i}`);
        }
        committed = rows;
      }
      const final = await run({ DB_PATH: path, MESSAGE: 'final' });
      expect(final.code).toBe(0);
      expect(final.rows.map(({ id, mensagem }) => ({ id, mensagem }))).toEqual([...committed, { id: expect.any(Number), mensagem: 'final' }]);
      expect(readDatabase(path).integrity).toBe('ok');
      expect(readdirSync(dir)).toEqual(['meubanco.db']);
    }, 180_000);
  });
});

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** startApp, but as another user: spawn's uid/gid need root, which is when this is used. */
function startAppAs(uid: number, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [join(WORKSPACE_ROOT, 'dist/apps', APP, 'main.js')], {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid,
    gid: uid,
  });
  return new AppProcess(child);
}
