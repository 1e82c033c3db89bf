import 'reflect-metadata';
import { loadConfig, usersServiceConfig } from '@desafios/config';
import { createHttpApp, createJsonLogger, exitOnSignal } from '@desafios/server';
import { AppModule } from './app.module';
import { setupOpenApi } from './openapi';

const NAME = 'users-service';

/**
 * Like startHttpApp, but the OpenAPI routes must be added between create and listen: Fastify
 * refuses new routes once it is listening, and startHttpApp does both in one call.
 */
async function main(): Promise<void> {
  const config = loadConfig(usersServiceConfig);
  const logger = createJsonLogger(NAME);
  const app = await createHttpApp(AppModule, { name: NAME, logger });
  setupOpenApi(app);
  exitOnSignal(() => app.close(), { graceMs: 1500, log: (message) => logger.log(message, 'Shutdown') });
  await app.listen(config.PORT, config.HOST);
  logger.log(`${NAME} ouvindo em http://${config.HOST}:${config.PORT}`, 'Bootstrap');
}

void main();
