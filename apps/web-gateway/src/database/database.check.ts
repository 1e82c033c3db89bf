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

  /** The visit counter answers: counts this visit (`countVisit`) or just reads the total. */
  async visits({ countVisit }: { countVisit: boolean }): Promise<CheckOutcome<number>> {
    const outcome = await runCheck('visitas (PostgreSQL)', this.config.CHECK_TIMEOUT_MS, () =>
      countVisit ? this.database.countVisit() : this.database.visitCount(),
    );
    if (outcome.ok) this.metrics.visits(outcome.value, { counted: countVisit });
    return this.metrics.check('visits', outcome);
  }
}
