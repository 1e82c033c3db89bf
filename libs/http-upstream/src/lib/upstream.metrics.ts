import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { UpstreamError } from './upstream.error';
import type { BreakerState, UpstreamPolicy } from './upstream.policy';

/** What one attempt got: a valid answer, an answer off the contract, or no answer (retried). */
export type AttemptOutcome = 'ok' | 'off_contract' | 'no_answer';

/** The gauge's values: a graph of it steps up when the circuit opens. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Names the series (`<prefix>_attempt_duration_seconds`, …) and what one attempt is, for their help text. */
export interface UpstreamMetricsOptions {
  /** e.g. `users_upstream`. */
  prefix: string;
  /** e.g. `GET /users no users-service`. */
  attempt: string;
}

/** What an app knows about one upstream, for Prometheus: attempts by outcome, retries, the breaker. */
export class UpstreamMetrics {
  /** One child per outcome, made once (labels() validates and builds closures on every call). */
  private readonly attempts: Record<AttemptOutcome, Histogram.Internal<'outcome'>>;
  private readonly retries: Counter;
  private readonly transitions: Counter<'to'>;
  private breakerState: () => BreakerState = () => 'closed';

  constructor(registry: Registry, { prefix, attempt }: UpstreamMetricsOptions) {
    const registers = [registry];
    const attempts = new Histogram({
      name: `${prefix}_attempt_duration_seconds`,
      help: `Cada tentativa de ${attempt}: duração e resultado (ok, off_contract, no_answer)`,
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.attempts = { ok: attempts.labels('ok'), off_contract: attempts.labels('off_contract'), no_answer: attempts.labels('no_answer') };
    this.retries = new Counter({ name: `${prefix}_retries_total`, help: 'Tentativas repetidas após uma sem resposta', registers });
    this.transitions = new Counter({
      name: `${prefix}_breaker_transitions_total`,
      help: 'Mudanças do disjuntor, pelo estado de chegada (open, half-open, closed)',
      labelNames: ['to'],
      registers,
    });
    const state = () => this.breakerState();
    new Gauge({
      name: `${prefix}_breaker_state`,
      help: 'Estado do disjuntor na hora da coleta: 0 fechado, 1 meio-aberto, 2 aberto',
      registers,
      collect() {
        this.set(BREAKER_STATE_VALUE[state()]);
      },
    });
    // Every transition label exists from the start, so rate() and increase() see the first one.
    for (const to of Object.keys(BREAKER_STATE_VALUE)) this.transitions.inc({ to }, 0);
  }

  /** Follows a policy's circuit: its transitions, and its state at each scrape. */
  watch(policy: UpstreamPolicy): void {
    this.breakerState = () => policy.state;
    policy.onStateChange((to) => this.transitions.inc({ to }));
  }

  /** Times one attempt and counts its outcome: a value, an off-contract answer, or no answer. */
  async measure<T>(attemptNumber: number, attempt: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome: AttemptOutcome = 'no_answer';
    try {
      const value = await attempt();
      outcome = 'ok';
      return value;
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'invalid-response') outcome = 'off_contract';
      throw error;
    } finally {
      this.attempts[outcome].observe((performance.now() - started) / 1000);
      if (attemptNumber > 1) this.retries.inc();
    }
  }
}
