import { Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { APP_CONFIG } from '@desafios/config';
import { WebGatewayConfig } from '../app.config';
import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { GatewayMetricsModule } from '../metrics/gateway-metrics.module';
import { connectDatabase } from './connect-database';
import { DatabaseCheck } from './database.check';
import { DatabaseService } from './database.service';
import { CreateVisitas1764201600000 } from './migrations/1764201600000-create-visitas';
import { VisitCounter } from './visit-counter.entity';

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
    entities: [VisitCounter],
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
  providers: [DatabaseService, DatabaseCheck],
  exports: [DatabaseService, DatabaseCheck],
})
export class DatabaseModule {}
