import { withTimeout } from './with-timeout';

/** What one check of a dependency found: its value, or why it failed; how long it took either way. */
export type CheckOutcome<T> = { ok: true; ms: number; value: T } | { ok: false; ms: number; error: string };

/**
 * The one way web-gateway checks a dependency, for the status page (and GET /status) and for
 * /health/ready alike: runs `work` bounded by `timeoutMs` (CHECK_TIMEOUT_MS) and never throws.
 * `what` names the dependency in the timeout message ("db (PostgreSQL): sem resposta em 1000 ms").
 */
export async function runCheck<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<CheckOutcome<T>> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const value = await withTimeout(work(), timeoutMs, what);
    return { ok: true, ms: ms(), value };
  } catch (error) {
    return { ok: false, ms: ms(), error: describeError(error) };
  }
}

/** A readable cause. Node's AggregateError (every address refused) has an empty message: use its parts. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    const parts = error.errors.map(describeError).filter(Boolean);
    if (parts.length > 0) return [...new Set(parts)].join('; ');
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return error.message || code || error.name;
  }
  return String(error);
}
