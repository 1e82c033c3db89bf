import type { AxiosHeaders } from 'axios';
import { AxiosAdapter, AxiosError, AxiosResponse, CanceledError, InternalAxiosRequestConfig } from 'axios';
import type { Dispatcher } from 'undici';

type Body = Dispatcher.ResponseData['body'];

/** undici's timeouts, reported as axios reports its own. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * An axios adapter that sends the request through an undici dispatcher (its keep-alive pools and
 * llhttp parser) instead of node:http: the same requests cost the consumer about a quarter less CPU
 * (docs/reports/benchmarks.md). It covers what `upstreamHttpOptions` uses: baseURL + url, headers,
 * a string or binary body, `signal`, `timeout` (for the response head and each body chunk; the
 * caller's signal bounds the whole attempt), `maxContentLength`, `validateStatus`, and the body
 * as text for `transformResponse`. It does not follow redirects, go through proxies or inflate
 * compressed bodies (it asks for none); errors are AxiosErrors with the undici or system error as
 * `cause`, an abort is axios' CanceledError.
 */
export function undiciAdapter(dispatcher: Dispatcher): AxiosAdapter {
  return async (config) => {
    const url = new URL(fullPath(config.baseURL, config.url));
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: (config.method ?? 'get').toUpperCase() as Dispatcher.HttpMethod,
        headers: config.headers.toJSON(true) as Record<string, string>,
        body: requestBody(config.data),
        signal: config.signal as AbortSignal | undefined,
        headersTimeout: config.timeout || undefined,
        bodyTimeout: config.timeout || undefined,
      });
    } catch (error) {
      throw failure(error, config);
    }
    let data: string;
    try {
      data = await readText(response.body, config.maxContentLength ?? -1);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        throw new AxiosError(`maxContentLength size of ${config.maxContentLength} exceeded`, AxiosError.ERR_BAD_RESPONSE, config);
      }
      throw failure(error, config);
    }
    const result: AxiosResponse<string> = {
      data,
      status: response.statusCode,
      statusText: '',
      headers: responseHeaders(config, response.headers),
      config,
      request: undefined,
    };
    if (config.validateStatus && !config.validateStatus(result.status)) {
      const code = result.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
      throw new AxiosError(`Request failed with status code ${result.status}`, code, config, undefined, result);
    }
    return result;
  };
}

/** axios' rule: a relative url is appended to baseURL, an absolute one replaces it. */
function fullPath(baseURL: string | undefined, url = ''): string {
  if (!baseURL || /^[a-z][a-z\d+\-.]*:\/\//i.test(url)) return url;
  return url ? `${baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : baseURL;
}

function requestBody(data: unknown): string | Uint8Array | undefined {
  if (data == null || typeof data === 'string' || data instanceof Uint8Array) return data ?? undefined;
  // axios' transformRequest has turned objects into JSON before the adapter; anything else is a caller's mistake.
  throw new TypeError(`undiciAdapter: corpo de requisição não suportado (${Object.prototype.toString.call(data)})`);
}

/**
 * The response headers as the AxiosHeaders that axios would make of them, built by assignment:
 * undici's parser has already lower-cased the names and rejected control characters (axios then
 * trims the values when it normalizes them for transformResponse); AxiosHeaders.from would also
 * look every name up with a linear search over the names set before it (measured: docs/reports/benchmarks.md).
 */
function responseHeaders(config: InternalAxiosRequestConfig, headers: Dispatcher.ResponseData['headers']): AxiosHeaders {
  // The class of the axios copy that made the request (@nestjs/axios, ESM, loads one of its own):
  // an instance of another copy's class would fail axios' instanceof and be rebuilt anyway.
  const result = new (config.headers.constructor as typeof AxiosHeaders)();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = value;
  }
  return result;
}

class BodyTooLarge extends Error {}

/** The whole body as UTF-8 text; destroys the stream and rejects with BodyTooLarge past `limit` bytes. */
function readText(body: Body, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (limit > -1 && size > limit) {
        body.destroy();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
    body.once('error', reject);
  });
}

/** What the request threw, as axios would have thrown it. */
function failure(error: unknown, config: InternalAxiosRequestConfig): AxiosError {
  if ((config.signal as AbortSignal | undefined)?.aborted) return new CanceledError(undefined, config);
  // Duck-typed, not instanceof Error: system errors may come from another realm (Jest's VM modules).
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return new AxiosError(String(error), undefined, config);
  const code = (error as NodeJS.ErrnoException).code;
  const axiosError = AxiosError.from(error as Error, code !== undefined && TIMEOUT_CODES.has(code) ? AxiosError.ETIMEDOUT : code, config);
  axiosError.cause = error as Error;
  return axiosError;
}
