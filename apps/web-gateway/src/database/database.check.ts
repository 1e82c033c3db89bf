import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { WebGatewayConfig } from '../app.config';
import { CheckOutcome, runCheck } from '../common/dependency-check';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { DatabaseService } from './database.service';

/** PostgreSQL, checked within CHECK_TIMEOUT_MS: by the status page and by /health/ready. */
@Injectable()
export class DatabaseCheck {
  constructor(
    private readonly database: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** The server answers a query: its version. */
  async version(): Promise<CheckOutcome<string>> {
    return this.metrics.check('db', await runCheck('db (PostgreSQL)', this.config.CHECK_TIMEOUT_MS, () => this.database.version()));
  }

  /**
   * The status page's part of PostgreSQL, from one statement (DatabaseService.visit): the server
   * (its version) and the visit counter (its total, this visit counted when `countVisit`), each
   * with its own verdict. A statement that fails or times out fails both.
   */
  async page({ countVisit }: { countVisit: boolean }): Promise<{ db: CheckOutcome<string>; visits: CheckOutcome<number> }> {
    const outcome = await runCheck('db (PostgreSQL)', this.config.CHECK_TIMEOUT_MS, () => this.database.visit({ countVisit }));
    let db: CheckOutcome<string>;
    let visits: CheckOutcome<number>;
    if (!outcome.ok) {
      db = outcome;
      visits = outcome;
    } else {
      const { ms, value } = outcome;
      db = { ok: true, ms, value: value.version };
      visits = value.total === null
        ? { ok: false, ms, error: 'contador de visitas ausente (as migrações rodaram?)' }
        : { ok: true, ms, value: value.total };
    }
    if (visits.ok) this.metrics.visits(visits.value, { counted: countVisit });
    return { db: this.metrics.check('db', db), visits: this.metrics.check('visits', visits) };
  }
}
