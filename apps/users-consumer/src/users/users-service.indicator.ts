import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG } from '@desafios/config';
import { UsersConsumerConfig } from '../app.config';
import type { DependencyIndicator } from '@desafios/health';
import type { BreakerState } from '@desafios/http-upstream';
import { UsersClient } from './users.client';

/** The breaker state as /health/ready shows it (`circuito`), in the words the README uses. */
const CIRCUIT_LABEL: Record<BreakerState, string> = { closed: 'fechado', open: 'aberto', 'half-open': 'meio-aberto' };

/** Up while users-service's /health/ready answers 200; reports the breaker state either way. */
@Injectable()
export class UsersServiceIndicator implements DependencyIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly usersClient: UsersClient,
    @Inject(APP_CONFIG) private readonly config: UsersConsumerConfig,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const circuit = CIRCUIT_LABEL[this.usersClient.breakerState];
    return this.health
      .check('users-service')
      .attempt(async ({ signal }) => {
        await this.usersClient.ping(signal);
        return { circuito: circuit };
      })
      // Below the container probe's own 2 s limit, so a down upstream reads as 503, not a probe timeout.
      .withTimeout(Math.min(this.config.USERS_TIMEOUT_MS, 1500));
  }
}
