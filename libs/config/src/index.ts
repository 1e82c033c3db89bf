export { defineConfig, loadConfig, parseConfig } from './lib/config';
export type { ConfigDefinition, ConfigOf } from './lib/config';
export { flag, httpUrl, host, integer, port, secret, text } from './lib/variables';
export { httpServerVariables } from './lib/http-server';
export { APP_CONFIG } from './lib/app-config.token';
export { AppConfigModule } from './lib/app-config.module';
