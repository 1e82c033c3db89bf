export { MetricsModule } from './lib/metrics.module';
export type { MetricsModuleOptions } from './lib/metrics.module';
export { serveMetrics } from './lib/serve-metrics';
// For the specs of the apps' metrics.
export { seriesValue } from './lib/metrics.testing';
