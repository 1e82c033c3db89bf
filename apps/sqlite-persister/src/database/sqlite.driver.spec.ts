import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetainingDatabase, retainedCount } from './sqlite.driver';

describe('RetainingDatabase', () => {
  let dir: string;
  let db: RetainingDatabase;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-driver-'));
    db = new RetainingDatabase(join(dir, 'meubanco.db'));
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every connection and statement it creates', () => {
    const before = retainedCount();
    db.prepare('SELECT 1').get();
    db.pragma('foreign_keys = ON');
    expect(retainedCount()).toBe(before + 2);
    expect(new RetainingDatabase(join(dir, 'outro.db')).close()).toBeInstanceOf(RetainingDatabase);
    expect(retainedCount()).toBe(before + 3);
  });

  it('answers pragmas exactly like better-sqlite3 (simple, list, and setters that return nothing)', () => {
    expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
    expect(db.pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(db.pragma('foreign_keys = ON')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.exec('CREATE TABLE t (x TEXT)');
    db.prepare('INSERT INTO t VALUES (?)').run('a');
    expect(db.prepare('SELECT x FROM t').all()).toEqual([{ x: 'a' }]);
  });
});
