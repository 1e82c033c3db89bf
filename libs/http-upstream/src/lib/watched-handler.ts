import type { Dispatcher } from 'undici';

/** The request's headers with `host` set to the name, unless the caller set one. */
export function withHost(headers: Dispatcher.DispatchOptions['headers'], host: string): Dispatcher.DispatchOptions['headers'] {
  if (headers == null) return { host };
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'host') return headers;
    return ['host', host, ...(headers as string[])];
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const pairs = [...(headers as Iterable<[string, string]>)];
    return pairs.some(([name]) => name.toLowerCase() === 'host') ? pairs.flat() : ['host', host, ...pairs.flat()];
  }
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'host') return headers;
  return { host, ...(headers as Record<string, string>) };
}

/** Passes every callback on, and reports whether the request got a response before it ended. */
export class WatchedHandler implements Dispatcher.DispatchHandler {
  private answered = false;

  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly onAnswer: () => void,
    private readonly onNoAnswer: () => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>): void {
    if (!this.answered) {
      this.answered = true;
      this.onAnswer();
    }
    this.inner.onResponseStart?.(...args);
  }

  onResponseData(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>): void {
    this.inner.onResponseData?.(...args);
  }

  onResponseEnd(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>): void {
    this.inner.onResponseEnd?.(...args);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.answered) this.onNoAnswer();
    this.inner.onResponseError?.(controller, error);
  }

  onResponseStarted(): void {
    this.inner.onResponseStarted?.();
  }

  onBodySent(chunk: Buffer): void {
    this.inner.onBodySent?.(chunk);
  }

  onRequestSent(): void {
    this.inner.onRequestSent?.();
  }
}
