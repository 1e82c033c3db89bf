import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp } from '@desafios/testing';
import { finish, JOB_OMITTED, JOB_ROW, JobRun, readDatabase, runJob, snapshot, SQLITE_PERSISTER, tempDirPerTest } from '../support/sqlite-persister';

/**
 * Desafio 2 without Docker: the built job (dist/apps/sqlite-persister/main.js) run as real processes
 * on real SQLite files in a temp folder. What the container adds (user node, named volume) is
 * covered by src/container/desafio2.e2e.ts.
 */

describe('desafio 2: sqlite-persister as a process', () => {
  const tempDir = tempDirPerTest('desafio2-');

  it('first run prints 1 row, second prints 2; the file is all that is left', async () => {
    const path = join(tempDir(), 'meubanco.db');
    const first = await runJob({ DB_PATH: path });
    expect(first.code).toBe(0);
    expect(first.rows).toEqual([{ id: 1, mensagem: 'Dado persistido!', criadoEm: expect.any(String) }]);
    expect(first.output.at(-1)).toBe('1 registro(s)');
    expect(first.output).toHaveLength(2);
    expect(readdirSync(tempDir())).toEqual(['meubanco.db']);

    const second = await runJob({ DB_PATH: path, MESSAGE: 'segunda execução' });
    expect(second.code).toBe(0);
    expect(second.rows.map(({ id, mensagem }) => [id, mensagem])).toEqual([
      [1, 'Dado persistido!'],
      [2, 'segunda execução'],
    ]);
    expect(second.rows[0].criadoEm).toBe(first.rows[0].criadoEm);
    expect(new Date(second.rows[1].criadoEm).getTime()).toBeGreaterThan(new Date(first.rows[0].criadoEm).getTime());
    expect(second.output.at(-1)).toBe('2 registro(s)');
    expect(readdirSync(tempDir())).toEqual(['meubanco.db']);
  });

  it('survives frequent garbage collection (better-sqlite3 12 on Node >= 24.19 aborted here)', async () => {
    // A 1 MB young generation makes V8 collect many times per run. Before the job kept its
    // better-sqlite3 objects alive (sqlite.driver.ts), most such runs died with exit code 134,
    // "Assertion failed: (env) != nullptr" in Statement::~Statement().
    const path = join(tempDir(), 'meubanco.db');
    for (let i = 1; i <= 6; i += 1) {
      const result = await runJob({ DB_PATH: path, MESSAGE: `gc-${i}`, NODE_OPTIONS: '--max-semi-space-size=1' });
      expect({ i, code: result.code, signal: result.signal, last: result.output.at(-1) }).toEqual({
        i,
        code: 0,
        signal: null,
        last: `${i} registro(s)`,
      });
    }
  }, 120_000);

  describe('10 runs started at the same moment', () => {
    async function runTogether(path: string, tag: string): Promise<JobRun[]> {
      const apps = Array.from({ length: 10 }, (_, i) => startApp(SQLITE_PERSISTER, { DB_PATH: path, MESSAGE: `${tag}-${i}` }));
      return Promise.all(apps.map((app) => finish(app, 90_000)));
    }

    function expectAllSucceeded(runs: JobRun[], tag: string): void {
      for (const [i, result] of runs.entries()) {
        expect({ i, code: result.code, errors: result.output.filter((line) => !JOB_ROW.test(line) && !JOB_OMITTED.test(line) && !/registro\(s\)$/.test(line)) })
          .toEqual({ i, code: 0, errors: [] });
        // Each run lists its own row: the insert had committed before the listing read.
        expect(result.rows.map((row) => row.mensagem)).toContain(`${tag}-${i}`);
      }
    }

    it('on a new file (twice, each time a new file): all exit 0 and add exactly 10 rows', async () => {
      // The first runs race to create the schema; without the IMMEDIATE transaction around the
      // migration, one of them sometimes fails with `table "migrations" already exists`.
      for (const round of ['a', 'b']) {
        const path = join(tempDir(), `novo-${round}.db`);
        const runs = await runTogether(path, round);
        expectAllSucceeded(runs, round);
        const { integrity, rows } = readDatabase(path);
        expect(integrity).toBe('ok');
        expect(rows.map((row) => row.mensagem).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${round}-${i}`).sort());
        expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      }
      expect(readdirSync(tempDir()).sort()).toEqual(['novo-a.db', 'novo-b.db']);
    }, 240_000);

    it('on an existing file: all exit 0 and add exactly 10 rows to the ones already there', async () => {
      const path = join(tempDir(), 'meubanco.db');
      for (const message of ['antes-1', 'antes-2']) expect((await runJob({ DB_PATH: path, MESSAGE: message })).code).toBe(0);
      const runs = await runTogether(path, 'junto');
      expectAllSucceeded(runs, 'junto');
      const { integrity, rows } = readDatabase(path);
      expect(integrity).toBe('ok');
      expect(rows).toHaveLength(12);
      expect(rows.slice(0, 2).map((row) => row.mensagem)).toEqual(['antes-1', 'antes-2']);
      expect(rows.slice(2).map((row) => row.mensagem).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `junto-${i}`).sort());

      // With 13 rows, a run prints the 10 newest (ids 4..13, oldest first), says 3 were left out, and the total.
      const next = await runJob({ DB_PATH: path, MESSAGE: 'depois' });
      expect(next.code).toBe(0);
      expect(next.output[0]).toBe('(3 registro(s) mais antigo(s) não mostrado(s); os 10 mais recentes:)');
      expect(next.rows.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, i) => i + 4));
      expect(next.rows.at(-1)?.mensagem).toBe('depois');
      expect(next.output.at(-1)).toBe('13 registro(s)');
      expect(next.output).toHaveLength(12);
    }, 180_000);
  });

  describe('bad input stops the run with one line and exit code 1, changing nothing', () => {
    async function expectRejected(env: Record<string, string>, message: RegExp, watched = tempDir()): Promise<void> {
      const before = snapshot(watched);
      const result = await runJob(env);
      expect(result.code).toBe(1);
      expect(result.output).toHaveLength(1);
      expect(result.output[0]).toMatch(message);
      expect(snapshot(watched)).toEqual(before);
    }

    async function existingDatabase(path: string): Promise<void> {
      expect((await runJob({ DB_PATH: path, MESSAGE: 'já estava aqui' })).code).toBe(0);
    }

    it('a DB_PATH whose folder is missing (the folder is not created)', async () => {
      const path = join(tempDir(), 'nao-existe', 'meubanco.db');
      await expectRejected({ DB_PATH: path }, /^Erro: DB_PATH=".*\/nao-existe\/meubanco\.db": a pasta ".*\/nao-existe" não existe/);
      expect(existsSync(join(tempDir(), 'nao-existe'))).toBe(false);
    });

    it('a DB_PATH whose folder is not writable (an existing database stays as it was)', async () => {
      const folder = join(tempDir(), 'somente-leitura');
      mkdirSync(folder);
      const path = join(folder, 'meubanco.db');
      await existingDatabase(path);
      chmodSync(folder, 0o555);
      chmodSync(tempDir(), 0o755);
      const before = snapshot(folder);
      // root may write anywhere, so as root the job runs as an unprivileged user, as in the image.
      const app = process.getuid?.() === 0 ? startApp(SQLITE_PERSISTER, { DB_PATH: path }, { uid: 65534, cwd: '/' }) : startApp(SQLITE_PERSISTER, { DB_PATH: path });
      const result = await finish(app);
      expect(result.code).toBe(1);
      expect(result.output).toEqual([
        `Erro: DB_PATH=${JSON.stringify(path)}: sem permissão de escrita na pasta ${JSON.stringify(folder)} (o SQLite cria ali o banco e os arquivos -wal e -shm)`,
      ]);
      expect(snapshot(folder)).toEqual(before);
    });

    it('a DB_PATH that is a text file (left byte-for-byte unchanged)', async () => {
      const path = join(tempDir(), 'anotacoes.txt');
      writeFileSync(path, 'minhas anotações: não apague\n'.repeat(200));
      await expectRejected({ DB_PATH: path }, /^Erro: DB_PATH=".*\/anotacoes\.txt": o arquivo existe mas não é um banco SQLite; ele não foi alterado$/);
    });

    it('a file with a SQLite header but no valid database behind it (SQLite itself refuses it)', async () => {
      const path = join(tempDir(), 'falso.db');
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
});
