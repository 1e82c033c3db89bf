import { flag, host, port } from './variables';

/** Every HTTP app listens on HOST:PORT and serves GET /metrics there unless METRICS_ENABLED=false. */
export function httpServerVariables(defaultPort: number) {
  return { HOST: host('0.0.0.0'), PORT: port(defaultPort), METRICS_ENABLED: flag(true) };
}
