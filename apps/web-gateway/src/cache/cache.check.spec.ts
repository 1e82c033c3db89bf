import type { Cache } from 'cache-manager';
import { Registry } from 'prom-client';
import { parseConfig } from '@desafios/config';
import { webGatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { CACHE_KEY_PREFIX, CACHE_TTL_MS, CacheCheck } from './cache.check';

const checkOn = (cache: Cache) => new CacheCheck(cache, parseConfig(webGatewayConfig, {}), new GatewayMetrics(new Registry()));

/** Just the two calls the probe makes, over a Map, recording the TTLs it asks for. */
function fakeCache(readBack?: (written: unknown) => unknown) {
  const data = new Map<string, unknown>();
  const ttls: (number | undefined)[] = [];
  const cache = {
    set: async (key: string, value: unknown, ttl?: number) => {
      data.set(key, value);
      ttls.push(ttl);
      return value;
    },
    get: async (key: string) => (readBack ? readBack(data.get(key)) : data.get(key)),
  };
  return { cache: cache as unknown as Cache, data, ttls };
}

describe('CacheCheck.roundTrip', () => {
  it('writes a value with the TTL under a fresh key and returns what it read back', async () => {
    const { cache, data, ttls } = fakeCache();
    const probe = checkOn(cache);
    const first = await probe.roundTrip(new Date('2026-11-27T01:02:03.000Z'));
    const second = await probe.roundTrip();
    expect(first.valor).toBe('Olá do Redis! Gravado às 2026-11-27T01:02:03.000Z');
    expect(first.chave.startsWith(CACHE_KEY_PREFIX)).toBe(true);
    expect(second.chave).not.toBe(first.chave);
    expect(data.get(first.chave)).toBe(first.valor);
    expect(ttls).toEqual([CACHE_TTL_MS, CACHE_TTL_MS]);
  });

  it('fails when the value read back is not the one written', async () => {
    const { cache } = fakeCache(() => undefined);
    await expect(checkOn(cache).roundTrip()).rejects.toThrow('valor lido (nenhum) difere do gravado');
  });

  it('passes a store error through', async () => {
    const { cache } = fakeCache();
    (cache as unknown as { set: () => Promise<never> }).set = () => Promise.reject(new Error('The client is offline'));
    await expect(checkOn(cache).roundTrip()).rejects.toThrow('The client is offline');
  });
});
