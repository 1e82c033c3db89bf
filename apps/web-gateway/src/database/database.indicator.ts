import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, WebGatewayConfig } from '@desafios/config';
import { DependencyIndicator } from '@desafios/health';
import { DatabaseService } from './database.service';

/** /health/ready: PostgreSQL answers a query within the check timeout. */
@Injectable()
export class DatabaseIndicator implements DependencyIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
  ) {}

  async check() {
    return await this.indicators
      .check('db')
      .attempt(async () => ({ version: await this.database.version() }))
      .withTimeout(this.config.CHECK_TIMEOUT_MS);
  }
}
