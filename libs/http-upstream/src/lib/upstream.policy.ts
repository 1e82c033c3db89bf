import {
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  handleWhen,
  IPolicy,
  IRetryContext,
  isBrokenCircuitError,
  retry,
  timeout,
  TimeoutPolicy,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { UpstreamError } from './upstream.error';
import type { UpstreamMetrics } from './upstream.metrics';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface UpstreamPolicyOptions {
  /** Bound of one attempt: the attempt's AbortSignal aborts after this many milliseconds. */
  timeoutMs: number;
  /** Further attempts after one that got no answer (a half-open trial gets none). */
  retries: number;
  /** Pause before each further attempt. */
  retryDelayMs: number;
  /** Consecutive calls that got no answer and open the circuit. */
  breakerThreshold: number;
  /** How long an open circuit refuses calls before letting one trial call through. */
  breakerCooldownMs: number;
}

/** One attempt: `signal` aborts when the attempt's time is up; `attempt` counts from 1. */
export type Attempt<T> = (signal: AbortSignal, attempt: number) => Promise<T>;

/** What the attempts of one call came to: a value, or an answer off the contract (a sign of life). */
type Outcome<T> = { value: T } | { offContract: UpstreamError };

const noAnswer = handleWhen((error) => error instanceof UpstreamError && error.kind === 'unavailable');

/**
 * Timeout, retry and circuit breaker for calls to an upstream, as cockatiel policies:
 * - each attempt gets an AbortSignal that aborts after `timeoutMs` (cooperative timeout: the
 *   attempt passes the signal on, and reports the abort as an `unavailable` UpstreamError);
 * - an attempt that threw an `unavailable` UpstreamError is retried `retries` times, `retryDelayMs` apart;
 * - after `breakerThreshold` consecutive calls that ended without an answer the circuit opens and
 *   calls fail at once (`unavailable`, 'circuito aberto') for `breakerCooldownMs`; then one trial
 *   call, a single attempt, goes through (half-open) and closes the circuit or reopens it.
 * Any answer, even an `invalid-response` one, is a success for the breaker: it resets the
 * consecutive failures and closes a half-open circuit. An `unavailable` error leaves with
 * `retryAfterMs` set when the circuit is open. Each attempt is timed in `metrics`, if given.
 */
export class UpstreamPolicy {
  private readonly breaker: CircuitBreakerPolicy;
  /** A call in a closed circuit: attempts bounded by the timeout, retried while there is no answer. */
  private readonly call: IPolicy<IRetryContext>;
  /** The half-open trial: one bounded attempt, no retries at a service that may still be down. */
  private readonly trial: TimeoutPolicy;
  private openedAt = 0;

  constructor(
    private readonly options: UpstreamPolicyOptions,
    private readonly metrics?: UpstreamMetrics,
  ) {
    this.breaker = circuitBreaker(noAnswer, {
      halfOpenAfter: options.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    // abortOnReturn: false: aborting each finished attempt's signal (cockatiel's default) built a
    // DOMException with its stack per page, ~3 % of the consumer's CPU (docs/reports/benchmarks.md); the
    // transport removes its listener from the signal when the request ends, so nothing waits on it.
    this.trial = timeout(options.timeoutMs, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false });
    this.call = wrap(retry(noAnswer, { maxAttempts: options.retries, backoff: new ConstantBackoff(options.retryDelayMs) }), this.trial);
    metrics?.watch(this);
  }

  /**
   * The circuit as a caller sees it: cockatiel moves an open circuit to half-open only when a call
   * arrives after the cool-down; here it reads half-open as soon as that call would be let through.
   */
  get state(): BreakerState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return this.breaker.state === CircuitState.Open && this.retryAfterMs === 0 ? 'half-open' : 'open';
    }
  }

  /** Called on every change of the circuit: opened, half-open trial let through, closed again. */
  onStateChange(listener: (state: BreakerState) => void): void {
    this.breaker.onStateChange((state) =>
      listener(state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open'),
    );
  }

  /** Milliseconds until an open circuit lets a trial call through (0 when not open). */
  get retryAfterMs(): number {
    if (this.breaker.state !== CircuitState.Open) return 0;
    return Math.max(0, this.openedAt + this.options.breakerCooldownMs - Date.now());
  }

  /** The attempt's value, or the UpstreamError of the last attempt (or of the open circuit). */
  async execute<T>(attempt: Attempt<T>): Promise<T> {
    // cockatiel queues the calls that arrive during the half-open trial until it settles; these
    // fail at once instead, like the calls in an open circuit: the trial is the only call let through.
    if (this.breaker.state === CircuitState.HalfOpen) throw new UpstreamError('unavailable', 'circuito aberto');
    let outcome: Outcome<T>;
    try {
      outcome = await this.breaker.execute(() => this.attempts(attempt));
    } catch (error) {
      if (isBrokenCircuitError(error)) throw new UpstreamError('unavailable', 'circuito aberto', this.retryAfterMs);
      if (error instanceof UpstreamError) error.retryAfterMs = this.retryAfterMs;
      throw error;
    }
    if ('offContract' in outcome) throw outcome.offContract;
    return outcome.value;
  }

  /** The attempts of one call. An off-contract answer returns, so that the breaker counts it as the success it is. */
  private async attempts<T>(attempt: Attempt<T>): Promise<Outcome<T>> {
    const measured: Attempt<T> = (signal, n) => (this.metrics ? this.metrics.measure(n, () => attempt(signal, n)) : attempt(signal, n));
    try {
      // HalfOpen here: the breaker has just let this call through as the trial.
      return {
        value: await (this.breaker.state === CircuitState.HalfOpen
          ? this.trial.execute(({ signal }) => measured(signal, 1))
          : this.call.execute(({ signal, attempt: retries }) => measured(signal, retries + 1))),
      };
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'invalid-response') return { offContract: error };
      throw error;
    }
  }
}
