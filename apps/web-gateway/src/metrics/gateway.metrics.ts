import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CheckResult } from '../common/dependency-check';

/** The checks web-gateway runs on each page (and on /health/ready). */
export type CheckName = 'db' | 'cache' | 'visits';

/** What web-gateway knows about its dependencies and its counter, for Prometheus (`web_gateway_*`). */
@Injectable()
export class GatewayMetrics {
  private readonly checks: Histogram<'check' | 'outcome'>;
  private readonly visitsSeen: Gauge;
  private readonly visitsCounted: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.checks = new Histogram({
      name: 'web_gateway_check_duration_seconds',
      help: 'Cada verificação de dependência (db, cache, visits): duração e resultado (ok, error)',
      labelNames: ['check', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.visitsSeen = new Gauge({ name: 'web_gateway_visits', help: 'O contador de visitas no PostgreSQL, como lido por último', registers });
    this.visitsCounted = new Counter({ name: 'web_gateway_visits_counted_total', help: 'Visitas contadas por esta instância', registers });
  }

  /** Records one check and hands its result on. */
  check<R extends CheckResult>(check: CheckName, result: R): R {
    this.checks.observe({ check, outcome: result.ok ? 'ok' : 'error' }, result.ms / 1000);
    return result;
  }

  visits(total: number, { counted }: { counted: boolean }): void {
    this.visitsSeen.set(total);
    if (counted) this.visitsCounted.inc();
  }
}
