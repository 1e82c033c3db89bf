/**
 * A problem with DB_PATH that the person running the job can fix. Its message is the single line
 * main.ts prints (in Portuguese, naming DB_PATH) before exiting with code 1.
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';

  constructor(dbPath: string, problem: string) {
    super(`DB_PATH=${JSON.stringify(dbPath)}: ${problem}`.replace(/\s*\n\s*/g, ' '));
  }
}

/** better-sqlite3 puts SQLITE_* in `code`; TypeORM wraps it in a QueryFailedError's `driverError`. */
export function sqliteCode(error: unknown): string | undefined {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  if (typeof driverError?.code === 'string') return driverError.code;
  return undefined;
}

/** Turns an SQLite failure into a line a student can act on; other errors pass through unchanged. */
export function explainSqliteError(error: unknown, dbPath: string, busyTimeoutMs: number): unknown {
  if (error instanceof DatabaseError) return error;
  const code = sqliteCode(error);
  if (!code) return error;
  const problem = (() => {
    if (code === 'SQLITE_NOTADB') return 'o arquivo não é um banco SQLite (SQLITE_NOTADB)';
    if (code.startsWith('SQLITE_CORRUPT')) return `o banco está corrompido (${code})`;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return `o banco continuou travado por outro processo por mais de ${busyTimeoutMs} ms (${code}); tente de novo ou aumente BUSY_TIMEOUT_MS`;
    }
    if (code.startsWith('SQLITE_READONLY')) return `o banco só pode ser lido, não gravado (${code})`;
    if (code.startsWith('SQLITE_CANTOPEN')) return `não foi possível abrir o arquivo (${code})`;
    if (code === 'SQLITE_FULL') return 'o disco está cheio (SQLITE_FULL)';
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return `falha do SQLite (${code})${detail}`;
  })();
  return new DatabaseError(dbPath, problem);
}
