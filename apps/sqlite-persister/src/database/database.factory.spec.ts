import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { applyMigrations, dataSourceOptions, openDatabase } from './database.factory';
import { DatabaseError } from './database.error';
import { RetainingDatabase } from './sqlite.driver';

const WORKSPACE_ROOT = join(__dirname, '../../../..');

describe('openDatabase (real SQLite files)', () => {
  let dir: string;
  const opened: DataSource[] = [];

  async function open(path: string, busyTimeoutMs = 5000): Promise<DataSource> {
    const dataSource = await openDatabase(dataSourceOptions({ path, busyTimeoutMs }), busyTimeoutMs);
    opened.push(dataSource);
    return dataSource;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-factory-'));
  });

  afterEach(async () => {
    for (const dataSource of opened.splice(0)) if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the registros table through the migration, in WAL mode, with the busy timeout', async () => {
    const dataSource = await open(join(dir, 'meubanco.db'), 1234);
    expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await dataSource.query('PRAGMA busy_timeout')).toEqual([{ timeout: 1234 }]);
    const columns = await dataSource.query('PRAGMA table_info("registros")');
    expect(columns.map(({ name, type, notnull, pk }: Record<string, unknown>) => ({ name, type: String(type).toLowerCase(), notnull, pk }))).toEqual([
      { name: 'id', type: 'integer', notnull: 1, pk: 1 },
      { name: 'mensagem', type: 'text', notnull: 1, pk: 0 },
      { name: 'criado_em', type: 'timestamp', notnull: 1, pk: 0 },
    ]);
    const [{ sql }] = await dataSource.query(`SELECT sql FROM sqlite_master WHERE name = 'registros'`);
    expect(sql).toContain('AUTOINCREMENT');
    expect(await dataSource.query('SELECT name FROM migrations')).toEqual([{ name: 'CreateRegistros1764201600000' }]);
  });

  it('switches to WAL even when another run holds the write lock at that moment', async () => {
    // The other run has created the file (still in rollback-journal mode) and holds its write lock
    // for 300 ms. SQLite answers the WAL switch's read-to-write upgrade with SQLITE_BUSY at once,
    // without the busy timeout: openDatabase must wait it out, not fail.
    const path = join(dir, 'meubanco.db');
    const other = new RetainingDatabase(path);
    other.exec('CREATE TABLE outra (x)');
    other.exec('BEGIN IMMEDIATE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        other.close();
        resolve();
      }, 300),
    );
    const started = Date.now();
    const dataSource = await open(path, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    await released;
  });

  it('applies the migration once: opening an existing database changes no schema', async () => {
    const path = join(dir, 'meubanco.db');
    const first = await open(path);
    await first.query(`INSERT INTO registros (mensagem, criado_em) VALUES ('antes', '2026-01-01 00:00:00.000')`);
    await first.destroy();
    const second = await open(path);
    expect(await applyMigrations(second)).toEqual([]);
    expect(await second.query('SELECT mensagem FROM registros')).toEqual([{ mensagem: 'antes' }]);
    expect(await second.query('SELECT count(*) AS n FROM migrations')).toEqual([{ n: 1 }]);
  });

  it('leaves no -wal or -shm file once closed', async () => {
    const path = join(dir, 'meubanco.db');
    const dataSource = await open(path);
    await dataSource.query(`INSERT INTO registros (mensagem, criado_em) VALUES ('x', '2026-01-01 00:00:00.000')`);
    expect(existsSync(`${path}-wal`)).toBe(true);
    await dataSource.destroy();
    expect(readdirSync(dir)).toEqual(['meubanco.db']);
  });

  it('rejects a file with a SQLite header but no database behind it, leaving it byte-for-byte unchanged', async () => {
    const path = join(dir, 'falso.db');
    const content = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 0xab)]);
    writeFileSync(path, content);
    const error = await open(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/^DB_PATH=".*falso\.db": o (arquivo não é um banco SQLite|banco está corrompido)/);
    expect(readFileSync(path).equals(content)).toBe(true);
    expect(readdirSync(dir)).toEqual(['falso.db']);
  });

  it('gives up after the busy timeout while another connection holds the write lock', async () => {
    const path = join(dir, 'meubanco.db');
    const holder = new RetainingDatabase(path);
    holder.exec('BEGIN EXCLUSIVE');
    const started = Date.now();
    try {
      const error = await open(path, 300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toContain('o banco continuou travado por outro processo por mais de 300 ms');
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('waits for another process that holds the write lock, then proceeds', async () => {
    const path = join(dir, 'meubanco.db');
    await (await open(path)).destroy();
    // A second process takes the write lock for 700 ms (the busy handler blocks this thread, so the
    // holder cannot live in this process).
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.exec('BEGIN IMMEDIATE');
         db.exec("INSERT INTO registros (mensagem, criado_em) VALUES ('do outro processo', '2026-01-01 00:00:00.000')");
         console.log('locked');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 700);`,
        path,
      ],
      { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    const started = Date.now();
    const dataSource = await open(path, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // Its first read comes after the lock was released, so it sees the other process's commit.
    expect(await dataSource.query('SELECT mensagem FROM registros')).toEqual([{ mensagem: 'do outro processo' }]);
    expect(await exited).toBe(0);
  });
});
