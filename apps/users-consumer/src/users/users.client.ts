import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AxiosResponse, isAxiosError } from 'axios';
import { APP_CONFIG } from '@desafios/config';
import { UsersConsumerConfig } from '../app.config';
import { REQUEST_ID_HEADER } from '@desafios/server';
import { parseUsers, User } from '@desafios/users-contract';
import { AttemptOutcome, UpstreamMetrics } from '../upstream/upstream.metrics';
import { BreakerState, CircuitOpenError, NoAnswerError, UpstreamPolicy } from '../upstream/upstream.policy';

/** Pause before a retry: long enough for a restarting peer, short against the page's budget. */
export const RETRY_DELAY_MS = 100;

export type UpstreamFailure = 'unavailable' | 'invalid-response';

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

/** What users-service answered: the list, or an answer off the contract (not retried). */
type Answer = { ok: true; users: User[] } | { ok: false; reason: string };

/**
 * Fetches the user list from users-service. Timeout, retry and circuit breaker come from
 * UpstreamPolicy (cockatiel): each attempt is bounded by USERS_TIMEOUT_MS (also across DNS and
 * connect, which axios' own timeout does not cover); a GET is idempotent, so one that failed for
 * lack of an answer is retried USERS_RETRIES times; the circuit breaker then spares later visitors
 * the wait while the service is known to be down. An answer, even an off-contract one, is not
 * retried and tells the breaker the service is up.
 */
@Injectable()
export class UsersClient {
  private readonly logger = new Logger(UsersClient.name);
  private readonly policy: UpstreamPolicy;

  constructor(
    private readonly http: HttpService,
    @Inject(APP_CONFIG) config: UsersConsumerConfig,
    private readonly metrics: UpstreamMetrics,
  ) {
    this.policy = new UpstreamPolicy({
      timeoutMs: config.USERS_TIMEOUT_MS,
      retries: config.USERS_RETRIES,
      retryDelayMs: RETRY_DELAY_MS,
      breakerThreshold: config.USERS_BREAKER_THRESHOLD,
      breakerCooldownMs: config.USERS_BREAKER_COOLDOWN_MS,
    });
    this.policy.onStateChange((state) => metrics.breakerChanged(state));
    metrics.readBreakerFrom(() => this.policy.state);
  }

  get breakerState(): BreakerState {
    return this.policy.state;
  }

  async listUsers(requestId: string): Promise<User[]> {
    let answer: Answer;
    try {
      answer = await this.policy.execute((signal, attempt) => this.measuredAttempt(requestId, signal, attempt));
    } catch (error) {
      if (error instanceof CircuitOpenError) throw new UsersUpstreamError('unavailable', 'circuito aberto', error.retryAfterMs);
      if (error instanceof NoAnswerError) throw new UsersUpstreamError('unavailable', error.reason, this.policy.retryAfterMs);
      throw error;
    }
    // users-service answered, so the breaker counted it as up, even if what it said is off-contract.
    if (!answer.ok) throw new UsersUpstreamError('invalid-response', answer.reason);
    return answer.users;
  }

  /** users-service's own readiness, for /health/ready: one bounded GET, no retry, no breaker. */
  async ping(signal: AbortSignal): Promise<void> {
    const response = await this.http.axiosRef.get<string>('health/ready', { signal });
    if (response.status !== 200) throw new Error(`users-service /health/ready respondeu ${response.status}`);
  }

  /** An attempt, timed and counted by outcome; one that got no answer is logged. */
  private async measuredAttempt(requestId: string, signal: AbortSignal, attempt: number): Promise<Answer> {
    const started = performance.now();
    const record = (outcome: AttemptOutcome) => this.metrics.attempt(outcome, (performance.now() - started) / 1000, attempt);
    try {
      const answer = await this.attempt(requestId, signal);
      record(answer.ok ? 'ok' : 'off_contract');
      return answer;
    } catch (error) {
      record('no_answer');
      if (error instanceof NoAnswerError) this.logger.warn({ msg: 'users-service falhou', requestId, attempt, reason: error.reason });
      throw error;
    }
  }

  /** One GET, aborted by `signal`: resolves with what users-service answered, throws NoAnswerError if it did not. */
  private async attempt(requestId: string, signal: AbortSignal): Promise<Answer> {
    let response: AxiosResponse<string>;
    try {
      // The promise API of the module's axios instance: HttpService's Observables cancel a token
      // on every unsubscribe, so each completed request also built a CanceledError with its stack
      // trace (measured: docs/benchmarks.md). Abort and timeout come from the signal. request(),
      // not get(): the method alias merges the config once more on every call.
      response = await this.http.axiosRef.request<string>({
        url: 'users',
        headers: { [REQUEST_ID_HEADER]: requestId },
        signal,
      });
    } catch (error) {
      return classifyError(error);
    }
    const { status } = response;
    if (status >= 200 && status < 300) return decode(response.data);
    if (status >= 500) throw new NoAnswerError(`status ${status}`);
    return { ok: false, reason: `status inesperado ${status}` };
  }
}

/** A 2xx body: the list if it is one the contract allows, else an off-contract answer. */
function decode(body: string): Answer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'corpo não é JSON' };
  }
  const result = parseUsers(json);
  return result.ok ? { ok: true, users: result.users } : { ok: false, reason: `fora do contrato: ${result.problem}` };
}

/** A failed request: an answer that no valid list looks like, or else no answer (NoAnswerError, thrown). */
function classifyError(error: unknown): Answer {
  // isAxiosError, not instanceof: @nestjs/axios (ESM) and this bundle (CJS) load two copies of axios.
  if (isAxiosError(error)) {
    // maxContentLength exceeded: the service answered, with something no valid list looks like.
    if (error.code === 'ERR_BAD_RESPONSE') return { ok: false, reason: error.message };
    // ERR_CANCELED: the attempt's signal aborted, i.e. its USERS_TIMEOUT_MS ran out.
    const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ERR_CANCELED';
    throw new NoAnswerError(timedOut ? 'tempo esgotado' : (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.code ?? error.message);
  }
  throw new NoAnswerError(error instanceof Error ? error.message : String(error));
}
