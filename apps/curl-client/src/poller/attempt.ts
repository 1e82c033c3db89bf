/** The outcome of one request, as the client logs it. */
export type Attempt =
  | { ok: true; at: Date; url: string; status: number; latencyMs: number; body: string }
  | { ok: false; at: Date; url: string; latencyMs: number; error: string };

const MAX_BODY_CHARS = 200;

/** One line per attempt: time, status (or failure), latency and body, readable in `docker compose logs`. */
export function formatAttempt(attempt: Attempt): string {
  const head = `[${attempt.at.toISOString()}] GET ${attempt.url}`;
  if (!attempt.ok) return `${head} -> falhou em ${attempt.latencyMs} ms: ${attempt.error}`;
  const body = attempt.body.length > MAX_BODY_CHARS ? `${attempt.body.slice(0, MAX_BODY_CHARS)}…` : attempt.body;
  return `${head} -> ${attempt.status} em ${attempt.latencyMs} ms: ${JSON.stringify(body.trim())}`;
}

/** Node's fetch hides the socket error (ECONNREFUSED, ENOTFOUND…) in `cause`; show it. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'tempo esgotado';
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
