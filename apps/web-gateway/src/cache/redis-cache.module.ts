import { Logger, Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { APP_CONFIG, WebGatewayConfig } from '@desafios/config';
import { CacheProbeService } from './cache-probe.service';

const logger = new Logger('Cache');

/**
 * Nest's cache manager on Redis through Keyv (cache-manager 5+ dropped the old store API that
 * cache-manager-redis-store implemented). The client is tuned for an outage: commands fail at once
 * while disconnected instead of queueing, and it keeps redialling at most 1 s apart.
 */
export function createRedisStore(config: WebGatewayConfig): Keyv {
  const store = new KeyvRedis(
    {
      url: `redis://${config.REDIS_HOST}:${config.REDIS_PORT}`,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: config.CHECK_TIMEOUT_MS,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 1000),
      },
    },
    { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: config.CHECK_TIMEOUT_MS },
  );
  // throwOnErrors: a failed set/get rejects with the real cause instead of quietly returning nothing.
  // The adapter already prefixes the namespace ("web-gateway::"); Keyv must not add it a second time.
  const keyv = new Keyv(store, { namespace: 'web-gateway', useKeyPrefix: false, throwOnErrors: true });
  let healthy = true;
  // Errors repeat on every redial while Redis is down; log the change of state, not each one.
  keyv.on('error', (error: unknown) => {
    if (!healthy) return;
    healthy = false;
    logger.warn(`Redis indisponível: ${error instanceof Error ? error.message : String(error)}`);
  });
  store.on('connect', () => {
    if (healthy) return;
    healthy = true;
    logger.log('Redis reconectado');
  });
  return keyv;
}

@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: WebGatewayConfig) => ({ stores: [createRedisStore(config)] }),
    }),
  ],
  providers: [CacheProbeService],
  exports: [CacheProbeService],
})
export class RedisCacheModule {}
