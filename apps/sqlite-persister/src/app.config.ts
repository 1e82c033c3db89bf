import { ConfigOf, defineConfig, integer, text } from '@desafios/config';

const EXPECTED_PATH = 'o caminho de um arquivo (ex.: /data/meubanco.db)';

/**
 * DB_PATH must name a file on disk: ":memory:" would "work" but persist nothing, and a path ending
 * in "/" is a folder. Whether the folder exists and is writable is checked by the app when it opens
 * the file, since that depends on the machine (or volume), not on the text of the variable.
 */
const dbPath = text({ fallback: '/data/meubanco.db', maxLength: 4096 }).superRefine((path, ctx) => {
  if (typeof path !== 'string') return; // already reported by text()
  const problem =
    path === ':memory:' || path.startsWith('file:')
      ? `valor inválido ${JSON.stringify(path)} (não grava em disco)`
      : path.endsWith('/')
        ? `valor inválido ${JSON.stringify(path)} (é uma pasta)`
        : path.includes('\0')
          ? 'valor inválido (contém o caractere nulo)'
          : undefined;
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; esperado ${EXPECTED_PATH}` });
});

export const sqlitePersisterConfig = defineConfig({
  DB_PATH: dbPath,
  MESSAGE: text({ fallback: 'Dado persistido!', maxLength: 1000 }),
  // How long a run waits for another run's write lock before giving up (SQLite busy timeout).
  BUSY_TIMEOUT_MS: integer(0, 600_000, { fallback: 15_000 }),
});

export type SqlitePersisterConfig = ConfigOf<typeof sqlitePersisterConfig>;
