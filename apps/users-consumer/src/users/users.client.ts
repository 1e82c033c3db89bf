import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AxiosResponse, isAxiosError } from 'axios';
import { APP_CONFIG, UsersConsumerConfig } from '@desafios/config';
import { REQUEST_ID_HEADER } from '@desafios/server';
import { parseUsers, User } from '@desafios/users-contract';
import { BreakerState, CircuitBreaker } from './circuit-breaker';

/** Pause before a retry: long enough for a restarting peer, short against the page's budget. */
export const RETRY_DELAY_MS = 100;

export type UpstreamFailure = 'indisponivel' | 'resposta-invalida';

/** Why the list could not be fetched: users-service down/slow (503) or off-contract (502). */
export class UsersUpstreamError extends Error {
  override readonly name = 'UsersUpstreamError';

  constructor(
    readonly kind: UpstreamFailure,
    readonly reason: string,
    readonly retryAfterMs = 0,
  ) {
    super(`${kind}: ${reason}`);
  }
}

/** One attempt's outcome; `retry` marks failures that another attempt may fix. */
type Attempt = { ok: true; body: string } | { ok: false; kind: UpstreamFailure; reason: string; retry: boolean };

/**
 * Fetches the user list from users-service. Each attempt is bounded by USERS_TIMEOUT_MS (also
 * across DNS and connect, which axios' own timeout does not cover); a GET is idempotent, so one
 * that failed for lack of an answer is retried USERS_RETRIES times; the circuit breaker then spares
 * later visitors the wait while the service is known to be down.
 */
@Injectable()
export class UsersClient {
  private readonly logger = new Logger(UsersClient.name);
  private readonly breaker: CircuitBreaker;

  constructor(
    private readonly http: HttpService,
    @Inject(APP_CONFIG) private readonly config: UsersConsumerConfig,
  ) {
    this.breaker = new CircuitBreaker({
      threshold: config.USERS_BREAKER_THRESHOLD,
      cooldownMs: config.USERS_BREAKER_COOLDOWN_MS,
    });
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  async listUsers(requestId: string): Promise<User[]> {
    const permit = this.breaker.acquire();
    if (permit === 'reject') {
      throw new UsersUpstreamError('indisponivel', 'circuito aberto', this.breaker.retryAfterMs);
    }
    // A half-open trial is one probe, not a burst of retries at a service that may still be down.
    const attempts = permit === 'trial' ? 1 : this.config.USERS_RETRIES + 1;
    let last: Attempt = { ok: false, kind: 'indisponivel', reason: 'sem tentativa', retry: false };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(RETRY_DELAY_MS);
      last = await this.attempt(requestId);
      if (last.ok || !last.retry) break;
      this.logger.warn({ msg: 'users-service falhou', requestId, attempt, reason: last.reason });
    }
    if (!last.ok && last.kind === 'indisponivel') {
      this.breaker.recordFailure();
      throw new UsersUpstreamError('indisponivel', last.reason, this.breaker.retryAfterMs);
    }
    // users-service answered: it is up, even if what it said is off-contract.
    this.breaker.recordSuccess();
    if (!last.ok) throw new UsersUpstreamError(last.kind, last.reason);
    return this.decode(last.body);
  }

  /** users-service's own readiness, for /health/ready: one bounded GET, no retry, no breaker. */
  async ping(signal: AbortSignal): Promise<void> {
    const response = await this.http.axiosRef.get<string>('health/ready', { signal });
    if (response.status !== 200) throw new Error(`users-service /health/ready respondeu ${response.status}`);
  }

  private async attempt(requestId: string): Promise<Attempt> {
    let response: AxiosResponse<string>;
    try {
      // The promise API of the module's axios instance: HttpService's Observables cancel a token
      // on every unsubscribe, so each completed request also built a CanceledError with its stack
      // trace (~3 % of the consumer's busy CPU under load). Abort and timeout come from the signal.
      response = await this.http.axiosRef.get<string>('users', {
        headers: { [REQUEST_ID_HEADER]: requestId },
        signal: AbortSignal.timeout(this.config.USERS_TIMEOUT_MS),
      });
    } catch (error) {
      return classifyError(error);
    }
    const { status } = response;
    if (status >= 200 && status < 300) return { ok: true, body: response.data };
    if (status >= 500) return { ok: false, kind: 'indisponivel', reason: `status ${status}`, retry: true };
    return { ok: false, kind: 'resposta-invalida', reason: `status inesperado ${status}`, retry: false };
  }

  private decode(body: string): User[] {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new UsersUpstreamError('resposta-invalida', 'corpo não é JSON');
    }
    const result = parseUsers(json);
    if (!result.ok) throw new UsersUpstreamError('resposta-invalida', `fora do contrato: ${result.problem}`);
    return result.users;
  }
}

function classifyError(error: unknown): Attempt {
  // isAxiosError, not instanceof: @nestjs/axios (ESM) and this bundle (CJS) load two copies of axios.
  if (isAxiosError(error)) {
    // maxContentLength exceeded: the service answered, with something no valid list looks like.
    if (error.code === 'ERR_BAD_RESPONSE') {
      return { ok: false, kind: 'resposta-invalida', reason: error.message, retry: false };
    }
    const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ERR_CANCELED';
    const reason = timedOut ? 'tempo esgotado' : (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.code ?? error.message;
    return { ok: false, kind: 'indisponivel', reason, retry: true };
  }
  return { ok: false, kind: 'indisponivel', reason: error instanceof Error ? error.message : String(error), retry: true };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
