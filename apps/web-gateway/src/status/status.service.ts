import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { WebGatewayConfig } from '../app.config';
import { CACHE_TTL_MS } from '../cache/cache-probe.service';
import { CacheCheck } from '../cache/cache.check';
import { CheckOutcome } from '../common/dependency-check';
import { DatabaseCheck } from '../database/database.check';
import { CheckResult, StatusReport } from './status.report';

@Injectable()
export class StatusService {
  constructor(
    private readonly database: DatabaseCheck,
    private readonly cache: CacheCheck,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
  ) {}

  /**
   * Checks PostgreSQL and Redis at once, each bounded by CHECK_TIMEOUT_MS, so the whole report
   * takes about one timeout at worst: one SQL statement (version and visit total) and the cache's
   * write-then-read. `countVisit` makes this request count as a visit (GET / does, GET /status
   * only reads).
   */
  async collect({ countVisit }: { countVisit: boolean }): Promise<StatusReport> {
    const [{ db, visits }, cache] = await Promise.all([this.database.page({ countVisit }), this.cache.roundTrip()]);
    return {
      ok: db.ok && cache.ok && visits.ok,
      verificadoEm: new Date().toISOString(),
      timeoutMs: this.config.CHECK_TIMEOUT_MS,
      db: toResult(db, (version) => ({ versao: version })),
      cache: { ...toResult(cache, ({ key, value }) => ({ chave: key, valor: value })), ttlMs: CACHE_TTL_MS },
      visitas: toResult(visits, (total) => ({ total })),
    };
  }
}

/** An outcome as the report shows it (Portuguese field names: GET /status is read by people). */
function toResult<T, D extends object>(outcome: CheckOutcome<T>, details: (value: T) => D): CheckResult & Partial<D> {
  if (!outcome.ok) return { ok: false, ms: outcome.ms, erro: outcome.error } as CheckResult & Partial<D>;
  return { ok: true, ms: outcome.ms, ...details(outcome.value) };
}
