import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One check of a dependency as GET /status shows it (Portuguese field names: people read it): its
 * verdict, how long it took and, when it failed, why. A check's own details (`versao`, `chave`…) sit
 * beside these fields, so the data keeps this one shape from the check to the page.
 */
export interface CheckResult {
  ok: boolean;
  /** How long the check took, in milliseconds. */
  ms: number;
  /** Why it failed (a timeout, a refused connection…); absent when ok. */
  erro?: string;
}

/** Thrown when a dependency does not answer in time; its message is shown on the status page. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Settles with `work`, or rejects with a TimeoutError after `ms`. The work itself is not cancelled
 * (pg and redis bound their own waits too); this only guarantees the caller never waits longer.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: sem resposta em ${ms} ms`)), ms);
  });
  // A late rejection of `work` after the timeout must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The one way web-gateway checks a dependency, for the status page (and GET /status) and for
 * /health/ready alike: runs `work` bounded by `timeoutMs` (CHECK_TIMEOUT_MS) and never throws.
 * `what` names the dependency in the timeout message ("db (PostgreSQL): sem resposta em 1000 ms").
 */
export async function runCheck<D extends object>(
  what: string,
  timeoutMs: number,
  work: () => Promise<D>,
): Promise<CheckResult & Partial<D>> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const details = await withTimeout(work(), timeoutMs, what);
    return { ok: true, ms: ms(), ...details };
  } catch (error) {
    return { ok: false, ms: ms(), erro: describeError(error) } as CheckResult & Partial<D>;
  }
}

/** A check as terminus reports it on /health/ready: the same verdict, time and message as the page. */
export function healthOf(name: string, result: CheckResult, details: object = {}): HealthIndicatorResult {
  return result.ok
    ? { [name]: { ...details, responseTime: result.ms, status: 'up' } }
    : { [name]: { message: result.erro, responseTime: result.ms, status: 'down' } };
}

/**
 * A cause in one readable line: the first line of its message (Node's AggregateError, every address
 * refused, has none: its parts), else its code or name; at most 120 characters.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    const parts = [...new Set(error.errors.map(describeError).filter(Boolean))];
    if (parts.length > 0) return parts.join('; ');
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  const line = error instanceof Error
    ? error.message.split('\n')[0].trim() || (typeof code === 'string' ? code : error.name)
    : String(error);
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
