export { HealthModule } from './lib/health.module';
export type { DependencyIndicator } from './lib/dependency-indicator';
