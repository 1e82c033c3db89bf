import { parseConfig } from '@desafios/config';
import { WebGatewayConfig, webGatewayConfig } from '../app.config';
import type { Cache } from 'cache-manager';
import type { DataSource } from 'typeorm';
import { CacheCheck } from '../cache/cache.check';
import { DatabaseCheck } from '../database/database.check';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { Registry } from 'prom-client';
import { seriesValue } from '@desafios/metrics/testing';
import { StatusService } from './status.service';

const config: WebGatewayConfig = { ...parseConfig(webGatewayConfig, {}), CHECK_TIMEOUT_MS: 200 };
const hang = () => new Promise<never>(() => undefined);

/** The checks with their queries replaced: PostgreSQL's statement and Redis's round trip. */
function serviceWith(database: Partial<Pick<DatabaseCheck, 'visit'>>, cache: Partial<Pick<CacheCheck, 'roundTrip'>>) {
  const metrics = new GatewayMetrics(registry);
  const db = Object.assign(new DatabaseCheck({} as DataSource, config, metrics), {
    visit: async ({ countVisit }: { countVisit: boolean }) => ({ versao: 'PostgreSQL 17.6', total: countVisit ? 7 : 6 }),
    ...database,
  });
  const redis = Object.assign(new CacheCheck({} as Cache, config, metrics), {
    roundTrip: async () => ({ chave: 'k', valor: 'v' }),
    ...cache,
  });
  return new StatusService(db, redis, config);
}

/** The registry of the service made last. */
let registry: Registry;
beforeEach(() => (registry = new Registry()));

/** One sample as Prometheus would scrape it now. */
const sample = async (series: string) => seriesValue(await registry.metrics(), series);

describe('StatusService', () => {
  it('reports every dependency up, counting the visit only when asked', async () => {
    const service = serviceWith({}, {});
    const counted = await service.collect({ countVisit: true });
    expect(counted).toMatchObject({
      ok: true,
      timeoutMs: 200,
      db: { ok: true, versao: 'PostgreSQL 17.6' },
      cache: { ok: true, valor: 'v' },
      visitas: { ok: true, total: 7 },
    });
    expect((await service.collect({ countVisit: false })).visitas.total).toBe(6);
  });

  it('marks the cache down with its error while the database stays up', async () => {
    const report = await serviceWith({}, { roundTrip: async () => Promise.reject(new Error('The client is closed')) })
      .collect({ countVisit: true });
    expect(report.ok).toBe(false);
    expect(report.cache).toMatchObject({ ok: false, erro: 'The client is closed' });
    expect(report.db.ok).toBe(true);
  });

  it('gives up on hanging dependencies after the timeout, checking them in parallel', async () => {
    const started = Date.now();
    const report = await serviceWith({ visit: hang }, { roundTrip: hang }).collect({ countVisit: true });
    const elapsed = Date.now() - started;
    expect(report.ok).toBe(false);
    expect(report.db.erro).toBe('db (PostgreSQL): sem resposta em 200 ms');
    expect(report.cache.erro).toBe('cache (Redis): sem resposta em 200 ms');
    // Version and visits come from one statement: it timed out once, for both.
    expect(report.visitas.erro).toBe('db (PostgreSQL): sem resposta em 200 ms');
    // One timeout, not two in a row.
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(550);
  });

  it('keeps the server up when only the counter row is missing', async () => {
    const report = await serviceWith({ visit: async () => ({ versao: 'PostgreSQL 17.6', total: null }) }, {}).collect({ countVisit: true });
    expect(report.db).toMatchObject({ ok: true, versao: 'PostgreSQL 17.6' });
    expect(report.visitas).toMatchObject({ ok: false, erro: 'contador de visitas ausente (as migrações rodaram?)' });
    expect(report.ok).toBe(false);
  });

  it('records each check by outcome and the visit counter in its metrics', async () => {
    let calls = 0;
    const service = serviceWith({ visit: async ({ countVisit }) => (calls++ === 0 ? hang() : { versao: 'PostgreSQL 17.6', total: countVisit ? 7 : 6 }) }, {});
    await service.collect({ countVisit: true });
    await service.collect({ countVisit: false });
    const checks = (check: string, outcome: string) => sample(`web_gateway_check_duration_seconds_count{check="${check}",outcome="${outcome}"}`);
    expect(await checks('db', 'error')).toBe(1);
    expect(await checks('visits', 'error')).toBe(1);
    expect(await checks('db', 'ok')).toBe(1);
    expect(await checks('cache', 'ok')).toBe(2);
    expect(await checks('visits', 'ok')).toBe(1);
    // The last total read (6, without counting); the one visit that would have counted timed out.
    expect(await sample('web_gateway_visits')).toBe(6);
    expect(await sample('web_gateway_visits_counted_total')).toBe(0);
  });
});
