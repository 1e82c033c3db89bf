import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SqlitePersisterConfig } from './app.config';
import { dataSourceOptions, openDatabase } from './database/database.factory';
import { RecordsModule } from './records/records.module';

@Module({})
export class AppModule {
  static register(config: SqlitePersisterConfig): DynamicModule {
    const settings = { path: config.DB_PATH, busyTimeoutMs: config.BUSY_TIMEOUT_MS };
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(settings),
            // A one-shot job: a bad DB_PATH will not fix itself, so fail at once (no retries,
            // no "Unable to connect" stack trace) and let main.ts print the one-line reason.
            toRetry: () => false,
          }),
          dataSourceFactory: (options) => openDatabase(options ?? dataSourceOptions(settings), settings.busyTimeoutMs),
        }),
        RecordsModule,
      ],
    };
  }
}
