import { Logger, Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { APP_CONFIG } from '@desafios/config';
import { WebGatewayConfig } from '../app.config';
import { RetriesExhausted, errnoCode, retryWithin, unreachable } from '../common/startup-retry';
import { GatewayMetricsModule } from '../metrics/gateway-metrics.module';
import { CacheCheck } from './cache.check';

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
  // Errors repeat on every redial while Redis is down; log the change of state, not each one.
  // Before the first connection, start-up (connectRedis) reports them instead.
  let state: 'starting' | 'up' | 'down' = 'starting';
  keyv.on('error', (error: unknown) => {
    if (state !== 'up') return;
    state = 'down';
    logger.warn(`Redis indisponível: ${error instanceof Error ? error.message : String(error)}`);
  });
  store.on('connect', () => {
    if (state === 'down') logger.log('Redis reconectado');
    state = 'up';
  });
  return keyv;
}

/**
 * Start-up connects before serving, retrying within STARTUP_TIMEOUT_MS (each attempt limited to
 * CHECK_TIMEOUT_MS); past it, a StartupError. Without this the first request would dial, and a
 * gateway pointed at the wrong Redis would look healthy until then.
 */
export async function connectRedis(keyv: Keyv, config: WebGatewayConfig): Promise<void> {
  const store = keyv.store as KeyvRedis<unknown>;
  // The client's own error (ECONNREFUSED, ENOTFOUND) says more than the adapter's "timed out".
  let cause: unknown;
  const remember = (error: unknown) => {
    if (cause === undefined || errnoCode(error) || !errnoCode(cause)) cause = error;
  };
  store.on('error', remember);
  try {
    await retryWithin(() => store.getClient(), { timeoutMs: config.STARTUP_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof RetriesExhausted)) throw error;
    const target = { name: 'Redis', host: config.REDIS_HOST, port: config.REDIS_PORT, budgetMs: config.STARTUP_TIMEOUT_MS };
    throw unreachable({ ...target, variables: 'REDIS_HOST e REDIS_PORT' }, error, cause ?? error.lastError);
  } finally {
    store.off('error', remember);
  }
}

@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: async (config: WebGatewayConfig) => {
        const keyv = createRedisStore(config);
        await connectRedis(keyv, config);
        return { stores: [keyv] };
      },
    }),
    GatewayMetricsModule,
  ],
  providers: [CacheCheck],
  exports: [CacheCheck, CacheModule, GatewayMetricsModule],
})
export class RedisCacheModule {}
