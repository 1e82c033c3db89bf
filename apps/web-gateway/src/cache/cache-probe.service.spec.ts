import type { Cache } from 'cache-manager';
import { CACHE_KEY_PREFIX, CACHE_TTL_MS, CacheProbeService } from './cache-probe.service';

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

describe('CacheProbeService', () => {
  it('writes a value with the TTL under a fresh key and returns what it read back', async () => {
    const { cache, data, ttls } = fakeCache();
    const probe = new CacheProbeService(cache);
    const first = await probe.roundTrip(new Date('2026-11-27T01:02:03.000Z'));
    const second = await probe.roundTrip();
    expect(first.value).toBe('Olá do Redis! Gravado às 2026-11-27T01:02:03.000Z');
    expect(first.key.startsWith(CACHE_KEY_PREFIX)).toBe(true);
    expect(second.key).not.toBe(first.key);
    expect(data.get(first.key)).toBe(first.value);
    expect(ttls).toEqual([CACHE_TTL_MS, CACHE_TTL_MS]);
  });

  it('fails when the value read back is not the one written', async () => {
    const { cache } = fakeCache(() => undefined);
    await expect(new CacheProbeService(cache).roundTrip()).rejects.toThrow('valor lido (nenhum) difere do gravado');
  });

  it('passes a store error through', async () => {
    const { cache } = fakeCache();
    (cache as unknown as { set: () => Promise<never> }).set = () => Promise.reject(new Error('The client is offline'));
    await expect(new CacheProbeService(cache).roundTrip()).rejects.toThrow('The client is offline');
  });
});
