import 'reflect-metadata';
import { loadConfig } from '@desafios/config';
import { startHttpApp } from '@desafios/server';
import { greetingServerConfig } from './app.config';
import { AppModule } from './app.module';

const config = loadConfig(greetingServerConfig);
void startHttpApp(AppModule, { name: 'greeting-server', host: config.HOST, port: config.PORT, metrics: config.METRICS_ENABLED });
