import 'reflect-metadata';
import { greetingServerConfig, loadConfig } from '@desafios/config';
import { startHttpApp } from '@desafios/server';
import { AppModule } from './app.module';

const config = loadConfig(greetingServerConfig);
void startHttpApp(AppModule, { name: 'greeting-server', host: config.HOST, port: config.PORT });
