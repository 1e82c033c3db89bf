import { isAxiosError } from 'axios';

/**
 * How a call to an upstream failed: `unavailable`, it gave no answer (refused, reset, timed out, 5xx,
 * circuit open), which is retried, counted by the breaker and shown as 503; `invalid-response`, it
 * answered with something off the contract, which is not retried (it would come back the same), tells
 * the breaker the upstream is alive, and is shown as 502.
 */
export type UpstreamFailure = 'unavailable' | 'invalid-response';

/** The one failure type from the transport to the page: made once, by `from` or by the caller's decoding. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    readonly kind: UpstreamFailure,
    readonly reason: string,
    /** Until the open circuit lets a trial through; UpstreamPolicy sets it on the error it throws. */
    public retryAfterMs = 0,
  ) {
    super(`${kind}: ${reason}`);
  }

  /** What a request through `upstreamHttpOptions` threw, as an UpstreamError (one already is one). */
  static from(error: unknown): UpstreamError {
    if (error instanceof UpstreamError) return error;
    // isAxiosError, not instanceof: @nestjs/axios (ESM) and a CJS bundle load two copies of axios.
    if (!isAxiosError(error)) return new UpstreamError('unavailable', error instanceof Error ? error.message : String(error));
    // maxContentLength exceeded: the upstream answered, with something no valid answer looks like.
    if (error.code === 'ERR_BAD_RESPONSE') return new UpstreamError('invalid-response', error.message);
    // ERR_CANCELED: the attempt's signal aborted, i.e. its time ran out.
    const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ERR_CANCELED';
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.code ?? error.message;
    return new UpstreamError('unavailable', timedOut ? 'tempo esgotado' : code);
  }
}
