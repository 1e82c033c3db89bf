export { HealthModule } from './lib/health.module';
export type { HealthModuleOptions } from './lib/health.module';
export { DEPENDENCY_INDICATORS } from './lib/dependency-indicator';
export type { DependencyIndicator } from './lib/dependency-indicator';
export { probe } from './lib/probe';
