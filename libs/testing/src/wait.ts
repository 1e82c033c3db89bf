/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. Bounded by design. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 15_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? ` (último erro: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GET with a timeout; resolves with status, headers and text body, or rejects on network error. */
export async function get(url: string, init: RequestInit & { timeoutMs?: number } = {}) {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 5000) });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
}

/** Polls `url` until it answers `status`; resolves with the elapsed ms since `since`. */
export async function untilStatus(url: string, status: number, since: number, timeoutMs = 60_000): Promise<number> {
  await waitFor(
    `${url} → ${status}`,
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return response.status === status ? true : undefined;
    },
    { timeoutMs, intervalMs: 50 },
  );
  return Date.now() - since;
}
