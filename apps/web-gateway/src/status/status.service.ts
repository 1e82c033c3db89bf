import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { WebGatewayConfig } from '../app.config';
import { CacheCheck } from '../cache/cache.check';
import { DatabaseCheck } from '../database/database.check';
import { StatusReport } from './status.report';

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
    const [{ db, visitas }, cache] = await Promise.all([this.database.status({ countVisit }), this.cache.status()]);
    return {
      ok: db.ok && cache.ok && visitas.ok,
      verificadoEm: new Date().toISOString(),
      timeoutMs: this.config.CHECK_TIMEOUT_MS,
      db,
      cache,
      visitas,
    };
  }
}
