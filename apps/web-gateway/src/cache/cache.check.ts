import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { Cache } from 'cache-manager';
import { APP_CONFIG } from '@desafios/config';
import type { DependencyIndicator } from '@desafios/health';
import { WebGatewayConfig } from '../app.config';
import { CheckResult, healthOf, runCheck } from '../common/dependency-check';
import { GatewayMetrics } from '../metrics/gateway.metrics';

export const CACHE_KEY_PREFIX = 'status:verificacao:';
/** Long enough to find the key with redis-cli, short enough that keys never pile up. */
export const CACHE_TTL_MS = 60_000;

export type CacheResult = CheckResult & { chave?: string; valor?: string; ttlMs: number };

/** Redis, checked within CHECK_TIMEOUT_MS: for the status page and for /health/ready. */
@Injectable()
export class CacheCheck implements DependencyIndicator {
  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** The page's part of Redis: a value stored with a TTL and read back. */
  async status(): Promise<CacheResult> {
    const result = await runCheck('cache (Redis)', this.config.CHECK_TIMEOUT_MS, () => this.roundTrip());
    return { ...this.metrics.check('cache', result), ttlMs: CACHE_TTL_MS };
  }

  /** /health/ready: the same round trip as the page. */
  async check(): Promise<HealthIndicatorResult> {
    return healthOf('cache', await this.status());
  }

  /**
   * Writes a fresh value with a TTL and reads it back: proof that Redis stores and serves data.
   * Each check has its own key, so concurrent requests never read each other's value as a mismatch.
   */
  async roundTrip(now: Date = new Date()): Promise<{ chave: string; valor: string }> {
    const chave = `${CACHE_KEY_PREFIX}${randomUUID()}`;
    const written = `Olá do Redis! Gravado às ${now.toISOString()}`;
    await this.cache.set(chave, written, CACHE_TTL_MS);
    const read = await this.cache.get<string>(chave);
    if (read !== written) {
      throw new Error(`valor lido (${read === undefined ? 'nenhum' : JSON.stringify(read)}) difere do gravado`);
    }
    return { chave, valor: read };
  }
}
