import { Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG } from '@desafios/config';
import { StartupError } from '@desafios/server';
import { WebGatewayConfig } from '../app.config';
import { describeError } from '../common/dependency-check';
import { RetriesExhausted, errnoCode, retryWithin, unreachable } from '../common/startup-retry';
import { GatewayMetricsModule } from '../metrics/gateway-metrics.module';
import { DatabaseCheck } from './database.check';
import { CreateVisitas1764201600000 } from './migrations/1764201600000-create-visitas';

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  username: string;
  /** STARTUP_TIMEOUT_MS: how long start-up keeps trying to reach the server. */
  startupTimeoutMs: number;
}

/** TypeORM's options plus the start-up budget, which reaches `connectDatabase` with them. */
export type GatewayTypeOrmOptions = TypeOrmModuleOptions & { startupTimeoutMs: number };

export function typeOrmOptions(config: WebGatewayConfig): GatewayTypeOrmOptions {
  return {
    type: 'postgres',
    // Passed explicitly (not loaded by name) so the bundle's package.json lists pg for the image.
    driver: pg,
    host: config.POSTGRES_HOST,
    port: config.POSTGRES_PORT,
    database: config.POSTGRES_DB,
    username: config.POSTGRES_USER,
    password: config.POSTGRES_PASSWORD,
    // The schema comes from versioned migrations, applied at start-up; synchronize would guess it.
    migrations: [CreateVisitas1764201600000],
    migrationsRun: true,
    synchronize: false,
    logging: ['error', 'migration'],
    // A connection attempt to a stopped or frozen server gives up in the check's time: the pool
    // then drops it and the next request dials again, which is how it recovers with no restart.
    connectTimeoutMS: config.CHECK_TIMEOUT_MS,
    poolSize: 5,
    extra: {
      keepAlive: true,
      idleTimeoutMillis: 10_000,
      // The server abandons anything slower than the page would wait for anyway.
      statement_timeout: config.CHECK_TIMEOUT_MS,
      application_name: 'web-gateway',
    },
    // Start-up waits for the database up to STARTUP_TIMEOUT_MS (compose already waits for it to be
    // healthy), in connectDatabase: TypeORM's own retries would log a stack trace per attempt.
    toRetry: () => false,
    startupTimeoutMs: config.STARTUP_TIMEOUT_MS,
  };
}

/** The server answered and said no: retrying cannot fix these. */
const PERMANENT = new Set(['28P01', '28000', '3D000']);

/** Connection-level failures worth another attempt (SQLSTATE class 08, server starting/stopping, full). */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (errnoCode(error)) return true; // ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ECONNRESET…
  if (typeof code === 'string') return code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300';
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
    const { host, port, startupTimeoutMs: budgetMs } = target;
    return unreachable({ name: 'PostgreSQL', host, port, budgetMs, variables: 'POSTGRES_HOST e POSTGRES_PORT' }, error);
  }
  return undefined;
}

/**
 * TypeORM's `dataSourceFactory`: connects (and runs the migrations) with retries within the start-up
 * budget, a fresh DataSource per attempt. Past the budget, or at once on a wrong password, it throws
 * a StartupError that `startHttpApp` prints as one line before exiting with code 1.
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

/** Nest hands `dataSourceFactory` the object `typeOrmOptions` returned, budget included. */
function createDataSource(options?: DataSourceOptions) {
  const { startupTimeoutMs, ...dataSourceOptions } = options as DataSourceOptions & { startupTimeoutMs: number };
  const { host, port, database, username } = dataSourceOptions as { host: string; port: number; database: string; username: string };
  return connectDatabase(dataSourceOptions as DataSourceOptions, { host, port, database, username, startupTimeoutMs });
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({ inject: [APP_CONFIG], useFactory: typeOrmOptions, dataSourceFactory: createDataSource }),
    GatewayMetricsModule,
  ],
  providers: [DatabaseCheck],
  exports: [DatabaseCheck, GatewayMetricsModule],
})
export class DatabaseModule {}
