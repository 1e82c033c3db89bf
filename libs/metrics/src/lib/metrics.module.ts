import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { MetricsController } from './metrics.controller';
import { RequestMetrics } from './request-metrics';

export interface MetricsModuleOptions {
  /**
   * false (METRICS_ENABLED=false): no GET /metrics, no request or runtime metrics. The app's own
   * counters still exist (its services inject the Registry) but nobody can read them.
   */
  enabled: boolean;
}

/**
 * One prom-client Registry per app, injected by its class: the app's services create their
 * counters in it, GET /metrics serves it in the Prometheus text format, and every HTTP request is
 * observed in `http_request_duration_seconds` (its `_count` is the request count).
 * A Registry per app instead of prom-client's global one: tests start several apps in one process.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoot({ enabled }: MetricsModuleOptions): DynamicModule {
    const registry: Provider = {
      provide: Registry,
      useFactory: () => {
        const created = new Registry();
        if (enabled) collectDefaultMetrics({ register: created });
        return created;
      },
    };
    return {
      module: MetricsModule,
      controllers: enabled ? [MetricsController] : [],
      providers: enabled ? [registry, RequestMetrics] : [registry],
      exports: [Registry],
    };
  }
}
