import { setTimeout as delay } from 'node:timers/promises';
import { StartupError } from '@desafios/server';
import { describeError } from './dependency-check';

/** Start-up gave up on a dependency: every attempt within the budget failed. */
export class RetriesExhausted extends Error {
  override readonly name = 'RetriesExhausted';

  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
    readonly elapsedMs: number,
  ) {
    super(`${attempts} tentativa(s) em ${elapsedMs} ms; a última: ${describeError(lastError)}`);
  }
}

export interface RetryOptions {
  /** Time budget: no attempt starts after it ends (0 = one attempt). */
  timeoutMs: number;
  /** Pause between attempts, cut short at the end of the budget. */
  intervalMs?: number;
  /** Errors that no retry can fix (a wrong password): thrown at once. */
  isPermanent?: (error: unknown) => boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, fails permanently, or the budget ends (then RetriesExhausted).
 * With a refused connection that is about `timeoutMs`; an attempt that hangs adds its own limit
 * (CHECK_TIMEOUT_MS) once, at most.
 */
export async function retryWithin<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { timeoutMs, intervalMs = 1000, isPermanent = () => false } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const started = now();
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (isPermanent(error)) throw error;
      const remaining = started + timeoutMs - now();
      if (remaining <= 0) throw new RetriesExhausted(error, attempts, now() - started);
      await sleep(Math.min(intervalMs, remaining));
    }
  }
}

/** The socket's error code (ECONNREFUSED, ENOTFOUND…), if that is what the error is. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : undefined;
}

export interface StartupTarget {
  /** "PostgreSQL", "Redis". */
  name: string;
  host: string;
  port: number;
  /** STARTUP_TIMEOUT_MS, as configured. */
  budgetMs: number;
  /** The variables that say where it is, e.g. "POSTGRES_HOST e POSTGRES_PORT". */
  variables: string;
}

/** The one line for a dependency that never answered within the start-up budget; `cause` is the last error. */
export function unreachable(target: StartupTarget, failure: RetriesExhausted, cause: unknown = failure.lastError): StartupError {
  return new StartupError(
    `${target.name} em ${target.host}:${target.port} inacessível: ${failure.attempts} tentativa(s) em ` +
      `${failure.elapsedMs} ms (STARTUP_TIMEOUT_MS=${target.budgetMs}), a última com ${errnoCode(cause) ?? describeError(cause)}; ` +
      `confira ${target.variables}`,
  );
}
