import type { Cache } from 'cache-manager';
import type { DataSource } from 'typeorm';
import { parseConfig } from '@desafios/config';
import { WebGatewayConfig, webGatewayConfig } from '../app.config';
import { CacheCheck } from '../cache/cache.check';
import { DatabaseCheck } from '../database/database.check';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { Registry } from 'prom-client';

const config: WebGatewayConfig = { ...parseConfig(webGatewayConfig, {}), CHECK_TIMEOUT_MS: 100 };
const hang = () => new Promise<never>(() => undefined);

/** The checks with their queries replaced: PostgreSQL's version and Redis's round trip. */
function indicators(database: Partial<Pick<DatabaseCheck, 'version'>>, cache: Partial<Pick<CacheCheck, 'roundTrip'>>) {
  const metrics = new GatewayMetrics(new Registry());
  return {
    db: Object.assign(new DatabaseCheck({} as DataSource, config, metrics), database),
    cache: Object.assign(new CacheCheck({} as Cache, config, metrics), cache),
  };
}

// /health/ready runs the same checks as the status page: same timeout, same failure message.
describe('the /health/ready indicators', () => {
  it('are up with the same data the page shows', async () => {
    const { db, cache } = indicators(
      { version: async () => ({ versao: 'PostgreSQL 17.6' }) },
      { roundTrip: async () => ({ chave: 'k', valor: 'v' }) },
    );
    expect(await db.check()).toEqual({ db: { status: 'up', version: 'PostgreSQL 17.6', responseTime: expect.any(Number) } });
    expect(await cache.check()).toEqual({ cache: { status: 'up', responseTime: expect.any(Number) } });
  });

  it('are down with the page’s message: the dependency’s own error, or CHECK_TIMEOUT_MS exceeded', async () => {
    const { db, cache } = indicators({ version: hang }, { roundTrip: () => Promise.reject(new Error('The client is offline')) });
    const started = Date.now();
    expect(await db.check()).toEqual({
      db: { status: 'down', message: 'db (PostgreSQL): sem resposta em 100 ms', responseTime: expect.any(Number) },
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await cache.check()).toEqual({
      cache: { status: 'down', message: 'The client is offline', responseTime: expect.any(Number) },
    });
  });
});
