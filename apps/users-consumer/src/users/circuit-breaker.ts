export type BreakerState = 'fechado' | 'aberto' | 'meio-aberto';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  threshold: number;
  /** How long an open circuit refuses calls before letting one trial call through. */
  cooldownMs: number;
  now?: () => number;
}

/**
 * A small circuit breaker. While users-service is known to be down there is no point in making
 * every visitor wait for a timeout: after `threshold` consecutive failures the circuit opens and
 * calls fail at once; after `cooldownMs` one trial call goes through (half-open) and its result
 * closes the circuit again or reopens it for another cool-down.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'fechado';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'meio-aberto' : 'aberto';
  }

  /** Milliseconds until an open circuit lets a trial call through (0 when not open). */
  get retryAfterMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
  }

  /**
   * Asks to make a call now. Returns 'call' (closed), 'trial' (half-open: the only call allowed
   * until it settles) or 'reject' (open, or a trial is already in flight).
   */
  acquire(): 'call' | 'trial' | 'reject' {
    switch (this.state) {
      case 'fechado':
        return 'call';
      case 'aberto':
        return 'reject';
      case 'meio-aberto':
        if (this.trialInFlight) return 'reject';
        this.trialInFlight = true;
        return 'trial';
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.failures += 1;
    // A failed trial reopens at once; otherwise open on reaching the threshold.
    if (this.trialInFlight || this.failures >= this.options.threshold) this.openedAt = this.now();
    this.trialInFlight = false;
  }
}
