import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseError, explainSqliteError, sqliteCode } from './database.error';
import { RetainingDatabase } from './sqlite.driver';

/** Real errors, raised by SQLite itself, not hand-made objects. */
describe('explainSqliteError', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-error-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function caught(run: () => unknown): unknown {
    try {
      run();
    } catch (error) {
      return error;
    }
    throw new Error('expected an error');
  }

  it('explains SQLITE_NOTADB from better-sqlite3 in Portuguese, naming DB_PATH', () => {
    const path = join(dir, 'texto.db');
    writeFileSync(path, 'x'.repeat(4096));
    const db = new RetainingDatabase(path);
    const error = caught(() => db.pragma('journal_mode'));
    db.close();
    expect(sqliteCode(error)).toBe('SQLITE_NOTADB');
    const explained = explainSqliteError(error, path, 1000);
    expect(explained).toBeInstanceOf(DatabaseError);
    expect((explained as Error).message).toBe(
      `DB_PATH=${JSON.stringify(path)}: o arquivo não é um banco SQLite (SQLITE_NOTADB)`,
    );
  });

  it('explains SQLITE_BUSY wrapped by TypeORM, with the timeout that was waited', async () => {
    const path = join(dir, 'ocupado.db');
    const holder = new RetainingDatabase(path);
    holder.exec('CREATE TABLE t (x)');
    holder.exec('BEGIN IMMEDIATE');
    const dataSource = new DataSource({ type: 'better-sqlite3', driver: RetainingDatabase, database: path, timeout: 50 });
    await dataSource.initialize();
    try {
      const error = await dataSource.query('INSERT INTO t VALUES (1)').catch((e: unknown) => e);
      expect(sqliteCode(error)).toBe('SQLITE_BUSY');
      expect((explainSqliteError(error, path, 50) as Error).message).toBe(
        `DB_PATH=${JSON.stringify(path)}: o banco continuou travado por outro processo por mais de 50 ms (SQLITE_BUSY); tente de novo ou aumente BUSY_TIMEOUT_MS`,
      );
    } finally {
      await dataSource.destroy();
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('leaves errors that are not from SQLite untouched', () => {
    const error = new TypeError('outra coisa');
    expect(explainSqliteError(error, '/x.db', 1)).toBe(error);
  });

  it('keeps the message on one line', () => {
    expect(new DatabaseError('/x.db', 'linha 1\n  linha 2').message).toBe('DB_PATH="/x.db": linha 1 linha 2');
  });
});
