import { StartupError } from '@desafios/server';
import { DataSource, DataSourceOptions } from 'typeorm';
import { describeError, RetriesExhausted, retryWithin } from '../common/startup-retry';

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  username: string;
  /** STARTUP_TIMEOUT_MS: how long start-up keeps trying to reach the server. */
  startupTimeoutMs: number;
}

/** The server answered and said no: retrying cannot fix these. */
const PERMANENT = new Set(['28P01', '28000', '3D000']);

/** Connection-level failures worth another attempt (SQLSTATE class 08, server starting/stopping, full). */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    if (/^E[A-Z_]+$/.test(code)) return true; // ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ECONNRESET…
    return code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300';
  }
  // pg's own: "Connection terminated due to connection timeout", "…terminated unexpectedly".
  return error instanceof Error && /^Connection terminated|timeout/i.test(error.message);
}

/** One attempt. A half-open one (pool created, first query failed) closes its pool before the next. */
async function initializeOnce(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  try {
    return await dataSource.initialize();
  } catch (error) {
    if (!dataSource.isInitialized) await Promise.resolve().then(() => dataSource.driver.disconnect()).catch(() => undefined);
    throw error;
  }
}

/**
 * The start-up failure for a PostgreSQL error, as the one line to print; undefined when it is not
 * about reaching or logging in to the server (a failed migration, a bug), which keeps its stack.
 * The password never appears: only the variables to check.
 */
export function postgresStartupError(error: unknown, target: PostgresTarget): StartupError | undefined {
  const where = `${target.host}:${target.port}`;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === '28P01' || code === '28000') {
    return new StartupError(
      `o PostgreSQL em ${where} recusou o login do usuário "${target.username}" (${describeError(error)}); ` +
        'confira POSTGRES_USER e POSTGRES_PASSWORD (ou POSTGRES_PASSWORD_FILE)',
    );
  }
  if (code === '3D000') {
    return new StartupError(`o banco "${target.database}" não existe no PostgreSQL em ${where}; confira POSTGRES_DB`);
  }
  if (error instanceof RetriesExhausted) {
    return new StartupError(
      `PostgreSQL em ${where} inacessível: ${error.attempts} tentativa(s) em ${error.elapsedMs} ms ` +
        `(STARTUP_TIMEOUT_MS=${target.startupTimeoutMs}), a última com ${describeError(error.lastError)}; ` +
        'confira POSTGRES_HOST e POSTGRES_PORT',
    );
  }
  return undefined;
}

/**
 * TypeORM's `dataSourceFactory`: connects (and runs the migrations) with retries within the start-up
 * budget, a fresh DataSource per attempt. TypeORM's own retries are off (`toRetry: () => false`):
 * they log a stack trace per attempt. Past the budget, or at once on a wrong password, it throws a
 * StartupError that `startHttpApp` prints as one line before exiting with code 1.
 */
export async function connectDatabase(options: DataSourceOptions, target: PostgresTarget): Promise<DataSource> {
  try {
    return await retryWithin(() => initializeOnce(options), {
      timeoutMs: target.startupTimeoutMs,
      isPermanent: (error) => !isTransient(error) || PERMANENT.has(String((error as { code?: unknown }).code)),
    });
  } catch (error) {
    throw postgresStartupError(error, target) ?? error;
  }
}
