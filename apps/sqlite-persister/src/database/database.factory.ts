import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MessageRecord } from '../records/message-record.entity';
import { checkDatabasePath } from './database-path';
import { DatabaseError, explainSqliteError, sqliteCode } from './database.error';
import { CreateRegistros1764201600000 } from './migrations/create-registros.migration';
import { RetainingDatabase } from './sqlite.driver';

export interface DatabaseSettings {
  path: string;
  busyTimeoutMs: number;
}

export function dataSourceOptions({ path, busyTimeoutMs }: DatabaseSettings): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    // Passed explicitly (TypeORM would require() it by name at run time): the import lets the build
    // list better-sqlite3 in the app's generated package.json, so the image installs it; and this
    // subclass keeps its native objects from being garbage-collected (see sqlite.driver.ts).
    driver: RetainingDatabase,
    database: path,
    // SQLite's busy timeout: a run that finds the file locked by another run waits this long
    // (retrying) instead of failing at once with SQLITE_BUSY.
    timeout: busyTimeoutMs,
    // WAL is switched on by openDatabase (enableWal), not here: TypeORM's enableWAL does not retry.
    enableWAL: false,
    entities: [MessageRecord],
    migrations: [CreateRegistros1764201600000],
    // The schema comes from the migrations, applied by applyMigrations under a write lock.
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
}

/**
 * Switches the file to WAL: readers never block the writer, and a crash mid-write leaves the last
 * commit intact. On a file not yet in WAL, SQLite reads the header and then upgrades to a write; if
 * another run holds the write lock at that moment the upgrade could deadlock, so SQLite answers
 * SQLITE_BUSY at once instead of waiting on the busy timeout (seen in CI: 1 of 10 runs started
 * together on a new file). So the switch is retried here, for at most the busy timeout.
 */
export async function enableWal(dataSource: DataSource, busyTimeoutMs: number): Promise<string> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      const [{ journal_mode: mode }] = await dataSource.query('PRAGMA journal_mode = WAL');
      return mode;
    } catch (error) {
      if (!sqliteCode(error)?.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      await sleep(10);
    }
  }
}

/**
 * Applies pending migrations inside `BEGIN IMMEDIATE`. TypeORM's own transaction is a deferred
 * `BEGIN`: on a new file, two processes could both read "no migration applied" and both run
 * CREATE TABLE, and the loser fails (table already exists, or SQLITE_BUSY on the lock upgrade,
 * which the busy timeout does not retry). IMMEDIATE takes the write lock *before* reading, so the
 * runs queue up on the busy timeout and each later one finds the migration already applied.
 * better-sqlite3 has a single connection per DataSource, so the migrator runs inside this transaction.
 */
export async function applyMigrations(dataSource: DataSource): Promise<string[]> {
  await dataSource.query('BEGIN IMMEDIATE');
  try {
    const applied = await dataSource.runMigrations({ transaction: 'none' });
    await dataSource.query('COMMIT');
    return applied.map((migration) => migration.name);
  } catch (error) {
    await dataSource.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Opens DB_PATH ready for use: path checked without writing, WAL on, schema migrated. On any
 * failure the connection is closed again (so no -wal/-shm file is left behind) and the error is
 * turned into a DatabaseError when it is something the user can fix.
 */
export async function openDatabase(options: DataSourceOptions, busyTimeoutMs: number): Promise<DataSource> {
  const path = String(options.database);
  checkDatabasePath(path);
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
    const mode = await enableWal(dataSource, busyTimeoutMs);
    if (mode !== 'wal') throw new DatabaseError(path, `não foi possível ativar o modo WAL (journal_mode=${mode})`);
    await applyMigrations(dataSource);
    return dataSource;
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw explainSqliteError(error, path, busyTimeoutMs);
  }
}
