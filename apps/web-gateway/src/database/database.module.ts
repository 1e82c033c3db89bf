import { Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { APP_CONFIG, WebGatewayConfig } from '@desafios/config';
import pg from 'pg';
import { DatabaseService } from './database.service';
import { CreateVisitas1764201600000 } from './migrations/1764201600000-create-visitas';
import { VisitCounter } from './visit-counter.entity';

export function typeOrmOptions(config: WebGatewayConfig): TypeOrmModuleOptions {
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
    // Start-up waits for the database a little (compose already waits for it to be healthy).
    retryAttempts: 10,
    retryDelay: 1000,
  };
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({ inject: [APP_CONFIG], useFactory: typeOrmOptions }),
    TypeOrmModule.forFeature([VisitCounter]),
  ],
  providers: [DatabaseService],
  exports: [DatabaseService],
})
export class DatabaseModule {}
