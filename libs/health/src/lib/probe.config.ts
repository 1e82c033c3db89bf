import { ConfigOf, defineConfig, integer, port } from '@desafios/config';

/** The container health probe asks the app on its own PORT. */
export const probeConfig = defineConfig({
  PORT: port(8080),
  PROBE_TIMEOUT_MS: integer(100, 30_000, { fallback: 2000 }),
});

export type ProbeConfig = ConfigOf<typeof probeConfig>;
