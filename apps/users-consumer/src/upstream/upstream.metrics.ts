import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from './upstream.policy';

/** What one attempt got: a valid answer, an answer off the contract, or no answer (retried). */
export type AttemptOutcome = 'ok' | 'off_contract' | 'no_answer';

/** The gauge's values: a graph of it steps up when the circuit opens. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** What users-consumer knows about its upstream, for Prometheus (`users_upstream_*`). */
@Injectable()
export class UpstreamMetrics {
  /** One child per outcome, made once (labels() validates and builds closures on every call). */
  private readonly attempts: Record<AttemptOutcome, Histogram.Internal<'outcome'>>;
  private readonly retries: Counter;
  private readonly transitions: Counter<'to'>;
  private breakerState: () => BreakerState = () => 'closed';

  constructor(registry: Registry) {
    const registers = [registry];
    const attempts = new Histogram({
      name: 'users_upstream_attempt_duration_seconds',
      help: 'Cada tentativa de GET /users no users-service: duração e resultado (ok, off_contract, no_answer)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.attempts = { ok: attempts.labels('ok'), off_contract: attempts.labels('off_contract'), no_answer: attempts.labels('no_answer') };
    this.retries = new Counter({ name: 'users_upstream_retries_total', help: 'Tentativas repetidas após uma sem resposta', registers });
    this.transitions = new Counter({
      name: 'users_upstream_breaker_transitions_total',
      help: 'Mudanças do disjuntor, pelo estado de chegada (open, half-open, closed)',
      labelNames: ['to'],
      registers,
    });
    const state = () => this.breakerState();
    new Gauge({
      name: 'users_upstream_breaker_state',
      help: 'Estado do disjuntor na hora da coleta: 0 fechado, 1 meio-aberto, 2 aberto',
      registers,
      collect() {
        this.set(BREAKER_STATE_VALUE[state()]);
      },
    });
    // Every transition label exists from the start, so rate() and increase() see the first one.
    for (const to of Object.keys(BREAKER_STATE_VALUE)) this.transitions.inc({ to }, 0);
  }

  /** Where the gauge reads the circuit at each scrape. */
  readBreakerFrom(state: () => BreakerState): void {
    this.breakerState = state;
  }

  attempt(outcome: AttemptOutcome, seconds: number, attemptNumber: number): void {
    this.attempts[outcome].observe(seconds);
    if (attemptNumber > 1) this.retries.inc();
  }

  breakerChanged(to: BreakerState): void {
    this.transitions.inc({ to });
  }
}
