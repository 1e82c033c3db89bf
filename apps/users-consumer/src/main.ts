import 'reflect-metadata';
import { loadConfig } from '@desafios/config';
import { startHttpApp } from '@desafios/server';
import { usersConsumerConfig } from './app.config';
import { AppModule } from './app.module';

const config = loadConfig(usersConsumerConfig);
void startHttpApp(AppModule.register(config), { name: 'users-consumer', host: config.HOST, port: config.PORT, metrics: config.METRICS_ENABLED });
