import 'reflect-metadata';
import { loadConfig } from '@desafios/config';
import { startHttpApp } from '@desafios/server';
import { usersServiceConfig } from './app.config';
import { AppModule } from './app.module';
import { setupOpenApi } from './openapi';

const config = loadConfig(usersServiceConfig);
void startHttpApp(AppModule, {
  name: 'users-service',
  host: config.HOST,
  port: config.PORT,
  metrics: config.METRICS_ENABLED,
  beforeListen: setupOpenApi,
});
