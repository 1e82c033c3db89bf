import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, WebGatewayConfig } from '@desafios/config';
import { CACHE_TTL_MS, CacheProbeService } from '../cache/cache-probe.service';
import { withTimeout } from '../common/with-timeout';
import { DatabaseService } from '../database/database.service';
import { CheckResult, StatusReport } from './status.report';

@Injectable()
export class StatusService {
  constructor(
    private readonly database: DatabaseService,
    private readonly cache: CacheProbeService,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
  ) {}

  /**
   * Checks every dependency at once, each bounded by CHECK_TIMEOUT_MS, so the whole report takes
   * about one timeout at worst. `countVisit` makes this request count as a visit (GET / does,
   * GET /status only reads).
   */
  async collect({ countVisit }: { countVisit: boolean }): Promise<StatusReport> {
    const [db, cache, visitas] = await Promise.all([
      this.check('db (PostgreSQL)', async () => ({ versao: await this.database.version() })),
      this.check('cache (Redis)', async () => {
        const { key, value } = await this.cache.roundTrip();
        return { chave: key, valor: value };
      }),
      this.check('visitas (PostgreSQL)', async () => ({
        total: countVisit ? await this.database.countVisit() : await this.database.visitCount(),
      })),
    ]);
    return {
      ok: db.ok && cache.ok && visitas.ok,
      verificadoEm: new Date().toISOString(),
      timeoutMs: this.config.CHECK_TIMEOUT_MS,
      db,
      cache: { ...cache, ttlMs: CACHE_TTL_MS },
      visitas,
    };
  }

  private async check<T extends object>(what: string, work: () => Promise<T>): Promise<CheckResult & Partial<T>> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const data = await withTimeout(work(), this.config.CHECK_TIMEOUT_MS, what);
      return { ok: true, ms: ms(), ...data };
    } catch (error) {
      const failed: CheckResult = { ok: false, ms: ms(), erro: describeError(error) };
      return failed as CheckResult & Partial<T>;
    }
  }
}

/** A readable cause. Node's AggregateError (every address refused) has an empty message: use its parts. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    const parts = error.errors.map(describeError).filter(Boolean);
    if (parts.length > 0) return [...new Set(parts)].join('; ');
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return error.message || code || error.name;
  }
  return String(error);
}
