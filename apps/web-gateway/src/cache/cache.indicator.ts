import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DependencyIndicator } from '@desafios/health';
import { CacheCheck } from './cache.check';

/** /health/ready: the same check as the status page (CacheCheck), reported to terminus. */
@Injectable()
export class CacheIndicator implements DependencyIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly cache: CacheCheck,
  ) {}

  async check() {
    const indicator = this.indicators.check('cache');
    const outcome = await this.cache.roundTrip();
    return outcome.ok
      ? indicator.up({ responseTime: outcome.ms })
      : indicator.down({ message: outcome.error, responseTime: outcome.ms });
  }
}
