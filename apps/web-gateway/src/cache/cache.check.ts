import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { WebGatewayConfig } from '../app.config';
import { CheckOutcome, runCheck } from '../common/dependency-check';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { CacheProbeService, CacheRoundTrip } from './cache-probe.service';

/** Redis, checked within CHECK_TIMEOUT_MS: by the status page and by /health/ready. */
@Injectable()
export class CacheCheck {
  constructor(
    private readonly probe: CacheProbeService,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Redis stores a value with a TTL and returns it. */
  async roundTrip(): Promise<CheckOutcome<CacheRoundTrip>> {
    return this.metrics.check('cache', await runCheck('cache (Redis)', this.config.CHECK_TIMEOUT_MS, () => this.probe.roundTrip()));
  }
}
