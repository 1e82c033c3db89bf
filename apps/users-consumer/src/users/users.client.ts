import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { APP_CONFIG } from '@desafios/config';
import { BreakerState, UpstreamError, UpstreamMetrics, UpstreamPolicy } from '@desafios/http-upstream';
import { REQUEST_ID_HEADER } from '@desafios/server';
import { parseUsers, User } from '@desafios/users-contract';
import { UsersConsumerConfig } from '../app.config';

/** Pause before a retry: long enough for a restarting peer, short against the page's budget. */
export const RETRY_DELAY_MS = 100;

/**
 * Fetches the user list from users-service. Timeout, retry and circuit breaker come from
 * UpstreamPolicy (cockatiel): each attempt is bounded by USERS_TIMEOUT_MS (also across DNS and
 * connect, which axios' own timeout does not cover); a GET is idempotent, so one that got no answer
 * is retried USERS_RETRIES times; the circuit breaker then spares later visitors the wait while the
 * service is known to be down. Every failure is an UpstreamError: `unavailable` (no answer) or
 * `invalid-response` (an answer off the contract: not retried, and a sign of life for the breaker).
 */
@Injectable()
export class UsersClient {
  private readonly logger = new Logger(UsersClient.name);
  private readonly policy: UpstreamPolicy;

  constructor(
    private readonly http: HttpService,
    @Inject(APP_CONFIG) config: UsersConsumerConfig,
    registry: Registry,
  ) {
    const metrics = new UpstreamMetrics(registry, { prefix: 'users_upstream', attempt: 'GET /users no users-service' });
    this.policy = new UpstreamPolicy(
      {
        timeoutMs: config.USERS_TIMEOUT_MS,
        retries: config.USERS_RETRIES,
        retryDelayMs: RETRY_DELAY_MS,
        breakerThreshold: config.USERS_BREAKER_THRESHOLD,
        breakerCooldownMs: config.USERS_BREAKER_COOLDOWN_MS,
      },
      metrics,
    );
  }

  get breakerState(): BreakerState {
    return this.policy.state;
  }

  /** The list, or an UpstreamError. */
  listUsers(requestId: string): Promise<User[]> {
    return this.policy.execute((signal, attempt) => this.attempt(requestId, signal, attempt));
  }

  /** users-service's own readiness, for /health/ready: one bounded GET, no retry, no breaker. */
  async ping(signal: AbortSignal): Promise<void> {
    const response = await this.http.axiosRef.get<string>('health/ready', { signal });
    if (response.status !== 200) throw new Error(`users-service /health/ready respondeu ${response.status}`);
  }

  /** One GET, aborted by `signal`; one that got no answer is logged. */
  private async attempt(requestId: string, signal: AbortSignal, attempt: number): Promise<User[]> {
    try {
      // The promise API of the module's axios instance: HttpService's Observables cancel a token
      // on every unsubscribe, so each completed request also built a CanceledError with its stack
      // trace (measured: docs/reports/benchmarks.md). Abort and timeout come from the signal. request(),
      // not get(): the method alias merges the config once more on every call.
      const response = await this.http.axiosRef.request<string>({ url: 'users', headers: { [REQUEST_ID_HEADER]: requestId }, signal });
      return decode(response.status, response.data);
    } catch (error) {
      const failure = UpstreamError.from(error);
      if (failure.kind === 'unavailable') this.logger.warn({ msg: 'users-service falhou', requestId, attempt, reason: failure.reason });
      throw failure;
    }
  }
}

/** What users-service answered: the list if the contract allows it; a 5xx is no answer at all. */
function decode(status: number, body: string): User[] {
  if (status >= 500) throw new UpstreamError('unavailable', `status ${status}`);
  if (status < 200 || status >= 300) throw new UpstreamError('invalid-response', `status inesperado ${status}`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UpstreamError('invalid-response', 'corpo não é JSON');
  }
  const result = parseUsers(json);
  if (!result.ok) throw new UpstreamError('invalid-response', `fora do contrato: ${result.problem}`);
  return result.users;
}
