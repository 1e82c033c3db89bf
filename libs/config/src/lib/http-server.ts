import { host, port } from './variables';

/** Every HTTP app listens on HOST:PORT. */
export function httpServerVariables(defaultPort: number) {
  return { HOST: host('0.0.0.0'), PORT: port(defaultPort) };
}
