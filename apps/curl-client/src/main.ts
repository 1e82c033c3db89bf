import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@desafios/config';
import { createJsonLogger, exitOnSignal } from '@desafios/server';
import { curlClientConfig } from './app.config';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig(curlClientConfig);
  const logger = createJsonLogger('curl-client');
  const write = (line: string) => process.stdout.write(`${line}\n`);
  // A Nest application context: the poller's lifecycle without an HTTP server.
  const app = await NestFactory.createApplicationContext(
    AppModule.register(config, write, () => void app.close().then(() => process.exit(0))),
    { logger: ['error', 'warn'] },
  );
  // Stopping must be immediate: abort the request in flight and leave.
  exitOnSignal(() => app.close(), { graceMs: 500, log: (message) => logger.log(message, 'Shutdown') });
  write(`curl-client: GET ${config.TARGET_URL} a cada ${config.INTERVAL_MS} ms`);
}

void main();
