import { ConfigOf, defineConfig, httpUrl, integer, httpServerVariables } from '@desafios/config';

/**
 * users-consumer calls users-service. Every wait is bounded: one attempt lasts at most
 * USERS_TIMEOUT_MS, a failed GET is retried USERS_RETRIES times, and after
 * USERS_BREAKER_THRESHOLD consecutive failures the breaker answers at once for
 * USERS_BREAKER_COOLDOWN_MS before letting one trial request through.
 */
export const usersConsumerConfig = defineConfig({
  ...httpServerVariables(5000),
  USERS_SERVICE_URL: httpUrl('http://users-service:5000'),
  USERS_TIMEOUT_MS: integer(50, 60_000, { fallback: 2000 }),
  USERS_RETRIES: integer(0, 5, { fallback: 1 }),
  USERS_BREAKER_THRESHOLD: integer(1, 100, { fallback: 3 }),
  USERS_BREAKER_COOLDOWN_MS: integer(100, 600_000, { fallback: 5000 }),
});

export type UsersConsumerConfig = ConfigOf<typeof usersConsumerConfig>;
