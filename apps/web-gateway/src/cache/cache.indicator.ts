import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, WebGatewayConfig } from '@desafios/config';
import { DependencyIndicator } from '@desafios/health';
import { CacheProbeService } from './cache-probe.service';

/** /health/ready: Redis stores and returns a value within the check timeout. */
@Injectable()
export class CacheIndicator implements DependencyIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly cache: CacheProbeService,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
  ) {}

  async check() {
    return await this.indicators
      .check('cache')
      .attempt(async () => {
        await this.cache.roundTrip();
      })
      .withTimeout(this.config.CHECK_TIMEOUT_MS);
  }
}
