/**
 * Container health probe: asks the app's own readiness endpoint with Node's fetch, so images need
 * neither curl nor wget. Resolves true only for a 2xx answer within the timeout.
 */
export async function probe(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
