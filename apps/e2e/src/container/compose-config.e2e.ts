/**
 * What `docker compose config` (the files as Docker will run them, dev file included) promises a
 * student's laptop: an image the compose file builds is never pulled (`desafios/<app>` on Docker
 * Hub belongs to whoever owns that namespace), and no default host port is one a laptop already holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeProject, WORKSPACE_ROOT } from '@desafios/testing';
import { DEV_COMPOSE_FILES } from '../support/dev-loop';

interface ServiceConfig {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  ports?: { published?: string }[];
}

/** Ports a common laptop already listens on, and who holds them. */
const HELD: Record<number, string> = {
  5000: 'AirPlay Receiver (macOS 12+)',
  7000: 'AirPlay Receiver (macOS 12+)',
  5040: 'Connected Devices Platform (Windows)',
  5357: 'Web Services for Devices (Windows)',
  7680: 'Delivery Optimization (Windows)',
  5432: 'a PostgreSQL installed on the machine',
  6379: 'a Redis installed on the machine',
};

/** Every `${NAME:-port}` host port variable of the compose files, unset (empty): compose takes its default. */
function portVariablesUnset(): Record<string, string> {
  const text = DEV_COMPOSE_FILES.map((file) => readFileSync(join(WORKSPACE_ROOT, file), 'utf8')).join('\n');
  return Object.fromEntries([...text.matchAll(/\$\{([A-Z_]+):-\d+\}:\d+/g)].map(([, name]) => [name, '']));
}

async function services(files: string[]): Promise<Record<string, ServiceConfig>> {
  const project = new ComposeProject('desafios-e2e-config', { ...portVariablesUnset(), COMPOSE_PROFILES: '' }, { files });
  const { stdout } = await project.run(['--profile', 'all', '--profile', 'observabilidade', 'config', '--format', 'json']);
  return (JSON.parse(stdout) as { services: Record<string, ServiceConfig> }).services;
}

describe.each([
  ['docker-compose.yml', ['docker-compose.yml']],
  ['docker-compose.yml + compose.dev.yaml', DEV_COMPOSE_FILES],
])('compose config (%s): builds, never pulls, and leaves a laptop its ports', (_name, files) => {
  let config: Record<string, ServiceConfig>;

  beforeAll(async () => {
    config = await services(files);
  });

  it('every service with a build section has pull_policy: never (built when missing, never pulled), and it is every desafios/* image', () => {
    const built = Object.entries(config).filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(['curl-client', 'greeting-server', 'sqlite-persister', 'users-consumer', 'users-service', 'web-gateway']);
    expect(Object.fromEntries(built.map(([name, service]) => [name, service.pull_policy]))).toEqual(Object.fromEntries(built.map(([name]) => [name, 'never'])));
    // No image named desafios/* comes from anywhere but a build here.
    const pulledOwn = Object.entries(config).filter(([, service]) => service.image?.startsWith('desafios/') && service.build === undefined);
    expect(pulledOwn).toEqual([]);
  });

  it('no default host port is one a common laptop already holds', () => {
    const published = Object.entries(config).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port: Number(port.published) })));
    expect(published.length).toBeGreaterThanOrEqual(5);
    const clashes = published.filter(({ port }) => HELD[port]).map(({ name, port }) => `${name}: ${port} (${HELD[port]})`);
    expect(clashes).toEqual([]);
  });
});
