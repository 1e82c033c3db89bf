import type { CacheResult } from '../cache/cache.check';
import type { DatabaseResult, VisitsResult } from '../database/database.check';

/** What GET /status returns and GET / renders: each check's result as it came, under its name. */
export interface StatusReport {
  /** True when db, cache and the visit counter all answered: the HTTP status is 200, else 503. */
  ok: boolean;
  verificadoEm: string;
  timeoutMs: number;
  db: DatabaseResult;
  cache: CacheResult;
  visitas: VisitsResult;
}

/** The dependencies that failed, by name, in page order. */
export function failuresOf(report: StatusReport): ('db' | 'cache' | 'visitas')[] {
  return (['db', 'cache', 'visitas'] as const).filter((name) => !report[name].ok);
}
