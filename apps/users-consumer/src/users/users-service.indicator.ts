import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, UsersConsumerConfig } from '@desafios/config';
import type { DependencyIndicator } from '@desafios/health';
import { UsersClient } from './users.client';

/** Up while users-service's /health/ready answers 200; reports the breaker state either way. */
@Injectable()
export class UsersServiceIndicator implements DependencyIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly usersClient: UsersClient,
    @Inject(APP_CONFIG) private readonly config: UsersConsumerConfig,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const circuito = this.usersClient.breakerState;
    return this.health
      .check('users-service')
      .attempt(async ({ signal }) => {
        await this.usersClient.ping(signal);
        return { circuito };
      })
      // Below the container probe's own 2 s limit, so a down upstream reads as 503, not a probe timeout.
      .withTimeout(Math.min(this.config.USERS_TIMEOUT_MS, 1500));
  }
}
