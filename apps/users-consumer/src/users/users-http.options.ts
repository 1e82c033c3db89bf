import type { HttpModuleOptions } from '@nestjs/axios';
import type { Dispatcher } from 'undici';
import type { UsersConsumerConfig } from '../app.config';
import { undiciAdapter } from '../upstream/undici.adapter';

/** Bounds every response body: the list is small, a huge body is a broken or hostile upstream. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Axios settings for users-service, sent through undici (`dispatcher`). The body is kept as text
 * and every status is resolved, so that UsersClient, not axios, decides what is malformed (502)
 * and what is unavailable (503).
 */
export function usersHttpOptions(config: UsersConsumerConfig, dispatcher: Dispatcher): HttpModuleOptions {
  return {
    baseURL: config.USERS_SERVICE_URL,
    timeout: config.USERS_TIMEOUT_MS,
    adapter: undiciAdapter(dispatcher),
    maxContentLength: MAX_BODY_BYTES,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { accept: 'application/json' },
  };
}
