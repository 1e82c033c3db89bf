import { ConfigOf, defineConfig, flag, httpUrl, integer, port, text } from '@desafios/config';

export const curlClientConfig = defineConfig({
  TARGET_URL: httpUrl('http://greeting-server:8080/'),
  INTERVAL_MS: integer(100, 3_600_000, { fallback: 3000 }),
  REQUEST_TIMEOUT_MS: integer(100, 60_000, { fallback: 2000 }),
  MAX_REQUESTS: integer(1, 1_000_000, { optional: true }),
  // The poller has no HTTP server of its own: GET /metrics gets a small one on this port.
  METRICS_ENABLED: flag(true),
  METRICS_PORT: port(9464),
  // Set by the image (docker/Dockerfile, target worker): where its HEALTHCHECK reads the heartbeat.
  HEARTBEAT_FILE: text({ optional: true }),
});

export type CurlClientConfig = ConfigOf<typeof curlClientConfig>;
