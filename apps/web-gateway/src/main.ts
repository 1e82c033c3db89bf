import 'reflect-metadata';
import { loadConfig, webGatewayConfig } from '@desafios/config';
import { startHttpApp } from '@desafios/server';
import { AppModule } from './app.module';

const config = loadConfig(webGatewayConfig);
void startHttpApp(AppModule.register(config), { name: 'web-gateway', host: config.HOST, port: config.PORT });
