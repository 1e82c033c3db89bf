import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { Attempt } from './attempt';

/** ok: 2xx/3xx; http_error: the server answered 4xx/5xx; failed: no answer (refused, timeout, DNS). */
export type AttemptOutcome = 'ok' | 'http_error' | 'failed';

export function outcomeOf(attempt: Attempt): AttemptOutcome {
  if (!attempt.ok) return 'failed';
  return attempt.status < 400 ? 'ok' : 'http_error';
}

/** What curl-client knows about its attempts, for Prometheus (`curl_client_*`). */
@Injectable()
export class PollerMetrics {
  private readonly attempts: Counter<'outcome'>;
  private readonly duration: Histogram;

  constructor(registry: Registry) {
    this.attempts = new Counter({
      name: 'curl_client_attempts_total',
      help: 'Tentativas de GET TARGET_URL, por resultado (ok, http_error, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'curl_client_attempt_duration_seconds',
      help: 'Duração de cada tentativa, com ou sem resposta',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    // Every outcome exists from the start (at 0), so a failure is an increase, not a new series.
    for (const outcome of ['ok', 'http_error', 'failed']) this.attempts.inc({ outcome }, 0);
  }

  record(attempt: Attempt): void {
    this.attempts.inc({ outcome: outcomeOf(attempt) });
    this.duration.observe(attempt.latencyMs / 1000);
  }
}
