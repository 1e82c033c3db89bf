import {
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ConstantBackoff,
  handleType,
  IPolicy,
  IRetryContext,
  isBrokenCircuitError,
  retry,
  timeout,
  TimeoutPolicy,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';

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

/**
 * What an attempt throws when the upstream gave no answer (refused, reset, timed out, 5xx): the
 * only outcome that is retried and that the breaker counts as a failure. Whatever else an attempt
 * returns (or throws) is an answer: the upstream is up.
 */
export class NoAnswerError extends Error {
  override readonly name = 'NoAnswerError';

  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Thrown without calling while the circuit is open, or while its one half-open trial is in flight. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';

  constructor(readonly retryAfterMs: number) {
    super('circuit open');
  }
}

/** One attempt: `signal` aborts when the attempt's time is up; `attempt` counts from 1. */
export type Attempt<T> = (signal: AbortSignal, attempt: number) => Promise<T>;

/**
 * Timeout, retry and circuit breaker for calls to an upstream, as cockatiel policies:
 * - each attempt gets an AbortSignal that aborts after `timeoutMs` (cooperative timeout: the
 *   attempt passes the signal on, and reports the abort as a NoAnswerError);
 * - an attempt that threw NoAnswerError is retried `retries` times, `retryDelayMs` apart;
 * - after `breakerThreshold` consecutive calls that ended without an answer the circuit opens and
 *   calls fail at once (CircuitOpenError) for `breakerCooldownMs`; then one trial call, a single
 *   attempt, goes through (half-open) and closes the circuit or reopens it for another cool-down.
 * Any answer, even one the caller will reject as off-contract, is a success for the breaker: it
 * resets the consecutive failures and closes a half-open circuit.
 */
export class UpstreamPolicy {
  private readonly breaker: CircuitBreakerPolicy;
  /** A call in a closed circuit: attempts bounded by the timeout, retried while there is no answer. */
  private readonly call: IPolicy<IRetryContext>;
  /** The half-open trial: one bounded attempt, no retries at a service that may still be down. */
  private readonly trial: TimeoutPolicy;
  private openedAt = 0;

  constructor(private readonly options: UpstreamPolicyOptions) {
    const noAnswer = handleType(NoAnswerError);
    this.breaker = circuitBreaker(noAnswer, {
      halfOpenAfter: options.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    // abortOnReturn: false: aborting each finished attempt's signal (cockatiel's default) built a
    // DOMException with its stack per page, ~3 % of the consumer's CPU (docs/benchmarks.md); the
    // transport removes its listener from the signal when the request ends, so nothing waits on it.
    this.trial = timeout(options.timeoutMs, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false });
    this.call = wrap(retry(noAnswer, { maxAttempts: options.retries, backoff: new ConstantBackoff(options.retryDelayMs) }), this.trial);
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

  async execute<T>(attempt: Attempt<T>): Promise<T> {
    // cockatiel queues the calls that arrive during the half-open trial until it settles; these
    // fail at once instead, like the calls in an open circuit: the trial is the only call let through.
    if (this.breaker.state === CircuitState.HalfOpen) throw new CircuitOpenError(0);
    try {
      return await this.breaker.execute(() =>
        // HalfOpen here: the breaker has just let this call through as the trial.
        this.breaker.state === CircuitState.HalfOpen
          ? this.trial.execute(({ signal }) => attempt(signal, 1))
          : this.call.execute(({ signal, attempt: retries }) => attempt(signal, retries + 1)),
      );
    } catch (error) {
      if (isBrokenCircuitError(error)) throw new CircuitOpenError(this.retryAfterMs);
      throw error;
    }
  }
}
