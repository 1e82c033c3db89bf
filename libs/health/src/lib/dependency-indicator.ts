import type { HealthIndicatorResult } from '@nestjs/terminus';

/** One per dependency (database, cache, upstream service): answers whether it is usable now. */
export interface DependencyIndicator {
  check(): Promise<HealthIndicatorResult>;
}

export const DEPENDENCY_INDICATORS = Symbol('DEPENDENCY_INDICATORS');
