import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DependencyIndicator } from '@desafios/health';
import { DatabaseCheck } from './database.check';

/** /health/ready: the same check as the status page (DatabaseCheck), reported to terminus. */
@Injectable()
export class DatabaseIndicator implements DependencyIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseCheck,
  ) {}

  async check() {
    const indicator = this.indicators.check('db');
    const outcome = await this.database.version();
    return outcome.ok
      ? indicator.up({ version: outcome.value, responseTime: outcome.ms })
      : indicator.down({ message: outcome.error, responseTime: outcome.ms });
  }
}
