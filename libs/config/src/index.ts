export { ConfigError, defineConfig, loadConfig, parseConfig } from './lib/config';
export type { ConfigDefinition, ConfigOf } from './lib/config';
export { httpUrl, host, integer, oneOf, port, secret, text } from './lib/variables';
export { APP_CONFIG } from './lib/app-config.token';
export * from './schemas/greeting-server.schema';
export * from './schemas/curl-client.schema';
export * from './schemas/probe.schema';
