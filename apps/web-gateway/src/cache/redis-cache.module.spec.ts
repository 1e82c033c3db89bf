import { createServer } from 'node:net';
import { parseConfig } from '@desafios/config';
import { webGatewayConfig } from '../app.config';
import { StartupError } from '@desafios/server';
import { connectRedis, createRedisStore } from './redis-cache.module';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connectRedis', () => {
  it('gives up on a Redis that refuses connections past STARTUP_TIMEOUT_MS, with one line naming the variables', async () => {
    const port = await closedPort();
    const config = parseConfig(webGatewayConfig, {
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(port),
      CHECK_TIMEOUT_MS: '300',
      STARTUP_TIMEOUT_MS: '1000',
    });
    const started = Date.now();
    const error = await connectRedis(createRedisStore(config), config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Redis em 127\\.0\\.0\\.1:${port} inacessível: \\d+ tentativa\\(s\\) em \\d+ ms \\(STARTUP_TIMEOUT_MS=1000\\), ` +
          'a última com ECONNREFUSED; confira REDIS_HOST e REDIS_PORT$',
      ),
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
