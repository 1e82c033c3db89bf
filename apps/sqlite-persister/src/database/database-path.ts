import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseError } from './database.error';

/** The first 16 bytes of every SQLite 3 database file (https://www.sqlite.org/fileformat.html). */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function startsWithSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks DB_PATH before SQLite touches it, using only reads. Without it, TypeORM would create a
 * missing folder on its own, and SQLite would only find out that a file is not a database after
 * opening it; here a bad path stops the run with a clear reason and nothing on disk changes.
 */
export function checkDatabasePath(dbPath: string): void {
  const file = resolve(dbPath);
  const folder = dirname(file);
  const fail = (problem: string): never => {
    throw new DatabaseError(dbPath, problem);
  };

  const folderStat = statOrUndefined(folder);
  if (!folderStat) fail(`a pasta ${JSON.stringify(folder)} não existe; crie a pasta ou monte um volume nela`);
  if (!folderStat?.isDirectory()) fail(`${JSON.stringify(folder)} não é uma pasta`);
  // WAL mode creates <arquivo>-wal and <arquivo>-shm next to the database: the folder must be writable.
  if (!canAccess(folder, constants.W_OK | constants.X_OK)) {
    fail(`sem permissão de escrita na pasta ${JSON.stringify(folder)} (o SQLite cria ali o banco e os arquivos -wal e -shm)`);
  }

  const fileStat = statOrUndefined(file);
  if (!fileStat) return; // a new database: SQLite creates the file
  if (fileStat.isDirectory()) fail('é uma pasta, não um arquivo');
  if (!fileStat.isFile()) fail('não é um arquivo comum');
  if (!canAccess(file, constants.R_OK | constants.W_OK)) fail('sem permissão de leitura e escrita no arquivo');
  // An empty file is a valid, empty database; anything else must carry the SQLite header.
  if (fileStat.size > 0 && !startsWithSqliteHeader(file)) {
    fail('o arquivo existe mas não é um banco SQLite; ele não foi alterado');
  }
}
