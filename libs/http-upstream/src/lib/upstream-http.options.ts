import type { HttpModuleOptions } from '@nestjs/axios';
import type { Dispatcher } from 'undici';
import { undiciAdapter } from './undici.adapter';

export interface UpstreamHttpOptions {
  baseURL: string;
  /** Bound of the wait for the response head and for each body chunk. */
  timeoutMs: number;
  /** Bounds every response body: a huge body is a broken or hostile upstream. */
  maxBodyBytes: number;
}

/**
 * `HttpModule` settings for one upstream, sent through an undici `dispatcher`. The body is kept as
 * text and every status is resolved, so that the caller, not axios, decides what is off-contract
 * (502) and what is unavailable (503).
 */
export function upstreamHttpOptions({ baseURL, timeoutMs, maxBodyBytes }: UpstreamHttpOptions, dispatcher: Dispatcher): HttpModuleOptions {
  return {
    baseURL,
    timeout: timeoutMs,
    adapter: undiciAdapter(dispatcher),
    maxContentLength: maxBodyBytes,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { accept: 'application/json' },
  };
}
