import { ConfigOf, defineConfig, host, integer, port, secret, text, httpServerVariables } from '@desafios/config';

/**
 * web-gateway talks to PostgreSQL (`db`) and Redis (`cache`). The defaults match the compose
 * service names and the `.env.example` credentials, so `docker compose --profile desafio3 up`
 * works with no .env at all. POSTGRES_PASSWORD may come from a file (POSTGRES_PASSWORD_FILE).
 */
export const webGatewayConfig = defineConfig(
  {
    ...httpServerVariables(8080),
    POSTGRES_HOST: host('db'),
    POSTGRES_PORT: port(5432),
    POSTGRES_DB: text({ fallback: 'desafios', maxLength: 63 }),
    POSTGRES_USER: text({ fallback: 'desafios', maxLength: 63 }),
    POSTGRES_PASSWORD: secret('desafios'),
    REDIS_HOST: host('cache'),
    REDIS_PORT: port(6379),
    /** Longest a single dependency check may take before the page reports it as down. */
    CHECK_TIMEOUT_MS: integer(100, 30_000, { fallback: 1000 }),
    /**
     * How long start-up keeps trying to reach PostgreSQL and Redis (an attempt about every second)
     * before giving up with one line and exit 1; 0 = a single attempt. A wrong password fails at once.
     */
    STARTUP_TIMEOUT_MS: integer(0, 300_000, { fallback: 10_000 }),
  },
  ['POSTGRES_PASSWORD'],
);

export type WebGatewayConfig = ConfigOf<typeof webGatewayConfig>;
