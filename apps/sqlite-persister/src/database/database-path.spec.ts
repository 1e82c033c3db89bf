import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDatabasePath } from './database-path';
import { DatabaseError } from './database.error';
import { RetainingDatabase } from './sqlite.driver';

describe('checkDatabasePath', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-path-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function problemWith(path: string): string {
    try {
      checkDatabasePath(path);
    } catch (error) {
      expect(error).toBeInstanceOf(DatabaseError);
      return (error as Error).message;
    }
    throw new Error('expected a DatabaseError');
  }

  it('accepts a new file in an existing, writable folder, and creates nothing', () => {
    expect(() => checkDatabasePath(join(dir, 'meubanco.db'))).not.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('accepts an existing SQLite database and an empty file', () => {
    const db = new RetainingDatabase(join(dir, 'real.db'));
    db.exec('CREATE TABLE t (x)');
    db.close();
    writeFileSync(join(dir, 'vazio.db'), '');
    expect(() => checkDatabasePath(join(dir, 'real.db'))).not.toThrow();
    expect(() => checkDatabasePath(join(dir, 'vazio.db'))).not.toThrow();
  });

  it('rejects a missing folder without creating it', () => {
    const path = join(dir, 'nao-existe', 'meubanco.db');
    expect(problemWith(path)).toBe(
      `DB_PATH=${JSON.stringify(path)}: a pasta ${JSON.stringify(join(dir, 'nao-existe'))} não existe; crie a pasta ou monte um volume nela`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects a "folder" that is a file', () => {
    writeFileSync(join(dir, 'arquivo'), 'x');
    expect(problemWith(join(dir, 'arquivo', 'meubanco.db'))).toContain('não é uma pasta');
  });

  it('rejects a path that is a folder', () => {
    mkdirSync(join(dir, 'pasta.db'));
    expect(problemWith(join(dir, 'pasta.db'))).toContain('é uma pasta, não um arquivo');
  });

  it.each([
    ['a text file', Buffer.from('isto não é um banco\n')],
    ['a file shorter than the header', Buffer.from('SQLite')],
    ['a file with a wrong header', Buffer.concat([Buffer.from('SQLite format 2\0'), Buffer.alloc(4096)])],
  ])('rejects %s and leaves it unchanged', (_, content) => {
    const path = join(dir, 'meubanco.db');
    writeFileSync(path, content);
    expect(problemWith(path)).toBe(
      `DB_PATH=${JSON.stringify(path)}: o arquivo existe mas não é um banco SQLite; ele não foi alterado`,
    );
    expect(readFileSync(path).equals(content)).toBe(true);
    expect(readdirSync(dir)).toEqual(['meubanco.db']);
  });
});
