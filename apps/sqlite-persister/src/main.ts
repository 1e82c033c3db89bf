import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@desafios/config';
import { createJsonLogger, exitOnSignal } from '@desafios/server';
import { sqlitePersisterConfig } from './app.config';
import { AppModule } from './app.module';
import { DatabaseError } from './database/database.error';
import { formatReport, SHOWN_RECORDS } from './records/message-record.format';
import { RecordsService } from './records/records.service';

/** One line, no stack: a DatabaseError already names DB_PATH and the problem. */
function explain(error: unknown): string {
  if (error instanceof DatabaseError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `falha inesperada: ${message}`.replace(/\s*\n\s*/g, ' ');
}

async function main(): Promise<void> {
  const config = loadConfig(sqlitePersisterConfig);
  const logger = createJsonLogger('sqlite-persister');
  const write = (line: string) => process.stdout.write(`${line}\n`);
  let app: INestApplicationContext | undefined;
  try {
    // A Nest application context: DI and lifecycle (the DataSource is closed on app.close()), no HTTP.
    // Nest's own logger is off: a failed start is reported by the catch below as one line, where Nest
    // would print it again as JSON with a stack trace (its log levels cannot drop errors but keep warnings).
    app = await NestFactory.createApplicationContext(AppModule.register(config), {
      logger: false,
      abortOnError: false,
    });
    const context = app;
    // `docker stop` mid-run: close the database cleanly (checkpoints the WAL), then leave.
    exitOnSignal(() => context.close(), { graceMs: 2000, log: (message) => logger.warn(message, 'Shutdown') });
    const records = app.get(RecordsService);
    await records.save(config.MESSAGE);
    const { rows, total } = await records.latest(SHOWN_RECORDS);
    for (const line of formatReport(rows, total)) write(line);
    await app.close();
  } catch (error) {
    await app?.close().catch(() => undefined);
    process.stderr.write(`Erro: ${explain(error)}\n`);
    process.exitCode = 1;
  }
}

void main();
