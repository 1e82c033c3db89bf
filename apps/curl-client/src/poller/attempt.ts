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

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  cause?: unknown;
}

// Duck-typed on purpose: fetch's errors (DOMException, undici's) are not always `instanceof Error`.
const asErrorLike = (value: unknown): ErrorLike | undefined =>
  typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;

/** Node's fetch hides the socket error (ECONNREFUSED, ENOTFOUND…) in `cause`; show it. */
export function describeFailure(error: unknown): string {
  const failure = asErrorLike(error);
  if (!failure) return String(error);
  if (failure.name === 'TimeoutError') return 'tempo esgotado';
  const cause = asErrorLike(failure.cause);
  if (cause?.message) return cause.code ? `${cause.code} (${cause.message})` : cause.message;
  return failure.message ?? String(error);
}
