import { setTimeout as delay } from 'node:timers/promises';

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

/** A short name for a connection error: its code (ECONNREFUSED, ENOTFOUND…) or the first line of its message. */
export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0].trim() || (error instanceof Error ? error.name : 'erro desconhecido');
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
