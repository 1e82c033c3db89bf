import 'reflect-metadata';
import { loadConfig } from '@desafios/config';
import { startHttpApp } from '@desafios/server';
import { webGatewayConfig } from './app.config';
import { AppModule } from './app.module';

const config = loadConfig(webGatewayConfig);
void startHttpApp(AppModule.register(config), { name: 'web-gateway', host: config.HOST, port: config.PORT, metrics: config.METRICS_ENABLED });
