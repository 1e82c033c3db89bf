import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';

export const CACHE_KEY_PREFIX = 'status:verificacao:';
/** Long enough to find the key with redis-cli, short enough that keys never pile up. */
export const CACHE_TTL_MS = 60_000;

export interface CacheRoundTrip {
  key: string;
  value: string;
  ttlMs: number;
}

@Injectable()
export class CacheProbeService {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  /**
   * Writes a fresh value with a TTL and reads it back: proof that Redis stores and serves data.
   * Each check has its own key, so concurrent requests never read each other's value as a mismatch.
   */
  async roundTrip(now: Date = new Date()): Promise<CacheRoundTrip> {
    const key = `${CACHE_KEY_PREFIX}${randomUUID()}`;
    const written = `Olá do Redis! Gravado às ${now.toISOString()}`;
    await this.cache.set(key, written, CACHE_TTL_MS);
    const read = await this.cache.get<string>(key);
    if (read !== written) {
      throw new Error(`valor lido (${read === undefined ? 'nenhum' : JSON.stringify(read)}) difere do gravado`);
    }
    return { key, value: read, ttlMs: CACHE_TTL_MS };
  }
}
