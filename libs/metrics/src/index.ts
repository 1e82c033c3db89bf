export { MetricsModule } from './lib/metrics.module';
export { serveMetrics } from './lib/serve-metrics';
