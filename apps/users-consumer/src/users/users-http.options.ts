import type { HttpModuleOptions } from '@nestjs/axios';
import type { Agent } from 'node:http';
import type { UsersConsumerConfig } from '../app.config';

/** Bounds every response body: the list is small, a huge body is a broken or hostile upstream. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Axios settings for users-service. The body is kept as text and every status is resolved, so
 * that UsersClient, not axios, decides what is malformed (502) and what is unavailable (503).
 */
export function usersHttpOptions(config: UsersConsumerConfig, agent: Agent): HttpModuleOptions {
  return {
    baseURL: config.USERS_SERVICE_URL,
    timeout: config.USERS_TIMEOUT_MS,
    httpAgent: agent,
    maxRedirects: 0,
    // A call between two services of the stack never goes through an HTTP proxy; this also skips
    // axios's per-request reading of HTTP_PROXY/NO_PROXY from the environment.
    proxy: false,
    maxContentLength: MAX_BODY_BYTES,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { accept: 'application/json' },
  };
}
