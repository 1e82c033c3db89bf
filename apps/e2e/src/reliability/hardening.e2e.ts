/**
 * The hardening of docker-compose.yml, read from `docker compose config` (what Docker will really
 * run), and the images' layers and config, read from `docker history` and `docker image inspect`.
 * Needs the images: npx nx run-many -t docker-build (or each app's docker-build)
 */
import { ComposeProject, docker } from '@desafios/testing';
import { Results } from '../support/results';

const results = new Results('hardening');

interface ServiceConfig {
  image: string;
  user?: string;
  init?: boolean;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  mem_limit?: number | string;
  cpu_quota?: number | string;
  cpu_period?: number | string;
  restart?: string;
  logging?: { driver: string; options?: Record<string, string> };
  ports?: { host_ip?: string; published?: string }[];
  networks?: Record<string, unknown>;
  network_mode?: string;
}

const SERVERS = ['greeting-server', 'curl-client', 'web-gateway', 'db', 'cache', 'users-service', 'users-consumer', 'prometheus'];
const JOBS = ['sqlite-persister'];
const APPS = ['greeting-server', 'curl-client', 'sqlite-persister', 'web-gateway', 'users-service', 'users-consumer'];
// db's entrypoint starts as root to chown PGDATA, then drops to postgres (gosu): the caps it needs for that.
const DB_CAPS = ['CHOWN', 'DAC_READ_SEARCH', 'FOWNER', 'SETGID', 'SETUID'];

describe('reliability: hardening', () => {
  let services: Record<string, ServiceConfig>;
  let networks: Record<string, { internal?: boolean; name: string }>;

  beforeAll(async () => {
    // BIND_ADDRESS unset here, whatever the caller's shell has: the default is what is checked.
    const { BIND_ADDRESS: _ignored, ...env } = process.env;
    void _ignored;
    const config = JSON.parse(
      (await new ComposeProject('desafios-rel-hardening', { ...(env as Record<string, string>), COMPOSE_PROFILES: 'all,observabilidade' }).run(['config', '--format', 'json'])).stdout,
    );
    services = config.services;
    networks = config.networks;
  });


  it('every service of every profile is in the compose file', () => {
    expect(Object.keys(services).sort()).toEqual([...SERVERS, ...JOBS].sort());
  });

  it.each([...SERVERS, ...JOBS])('%s: read-only root, no capabilities, no-new-privileges, init, limits, log rotation, restart policy', (name) => {
    const service = services[name];
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(['ALL']);
    expect([...(service.cap_add ?? [])].sort()).toEqual(name === 'db' ? DB_CAPS : []);
    expect(service.security_opt).toContain('no-new-privileges:true');
    // db: postgres is its own PID 1 (a root init without CAP_KILL could not signal it).
    expect(service.init ?? false).toBe(name !== 'db');
    expect(service.tmpfs?.some((mount) => mount.startsWith('/tmp'))).toBe(true);
    expect(Number(service.mem_limit)).toBeGreaterThan(0);
    // A CPU limit as quota per 10 ms period (docker-compose.yml says why), at least a tenth of a core.
    expect(Number(service.cpu_period)).toBe(10_000);
    expect(Number(service.cpu_quota)).toBeGreaterThanOrEqual(1_000);
    expect(service.logging?.driver).toBe('json-file');
    expect(service.logging?.options).toMatchObject({ 'max-size': expect.any(String), 'max-file': expect.any(String) });
    expect(service.restart).toBe(JOBS.includes(name) ? 'no' : 'unless-stopped');
  });

  it('every published port is bound to 127.0.0.1 by default, and BIND_ADDRESS moves them all', async () => {
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, ...port })));
    expect(published.map(({ name }) => name).sort()).toEqual(['greeting-server', 'prometheus', 'users-consumer', 'users-service', 'web-gateway']);
    for (const port of published) expect(port.host_ip).toBe('127.0.0.1');
    const moved = JSON.parse((await new ComposeProject('desafios-rel-hardening', { COMPOSE_PROFILES: 'all,observabilidade', BIND_ADDRESS: '0.0.0.0' }).run(['config', '--format', 'json'])).stdout);
    const movedPorts = Object.entries(moved.services as Record<string, ServiceConfig>).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, ...port })));
    expect(movedPorts).toHaveLength(published.length);
    // Prometheus's UI has no login: it stays on the loopback whatever BIND_ADDRESS says.
    for (const port of movedPorts) expect(port.host_ip).toBe(port.name === 'prometheus' ? '127.0.0.1' : '0.0.0.0');
  });

  it('db and cache are only on the internal network dados_rede; web-gateway is on both', () => {
    const dados = Object.entries(networks).find(([key]) => key === 'dados_rede')?.[1];
    expect(dados?.internal).toBe(true);
    expect(Object.keys(services.db.networks ?? {})).toEqual(['dados_rede']);
    expect(Object.keys(services.cache.networks ?? {})).toEqual(['dados_rede']);
    expect(Object.keys(services['web-gateway'].networks ?? {}).sort()).toEqual(['dados_rede', 'minha_rede']);
    expect(services['sqlite-persister'].network_mode).toBe('none');
    results.add({ category: 'endurecimento', subject: 'compose (todos os perfis)', scenario: 'read_only, cap_drop ALL, no-new-privileges, init, limites, logs rotativos, restart, portas em 127.0.0.1, db/cache só em dados_rede (internal)', result: `${Object.keys(services).length} serviços conferidos em \`docker compose config\`` });
  });

  it.each(APPS)('image desafios/%s: runs as node, and no secret in its layers or config', async (app) => {
    const image = `desafios/${app}:latest`;
    const config = JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config}}', image])) as { User: string; Env: string[]; Labels: Record<string, string> };
    expect(config.User).toBe('node');
    const history = await docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]);
    const text = [history, ...config.Env, ...Object.entries(config.Labels ?? {}).map(([k, v]) => `${k}=${v}`)].join('\n');
    expect(text).not.toMatch(/PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE|CREDENTIAL|npm_config__auth|\/\/[^/\s]+:[^@\s]+@/i);
    // Every layer instruction that copies files copies build output, not the whole context or a .env.
    expect(history).not.toMatch(/\.env\b|id_rsa|\.npmrc/);
  });

  afterAll(() => {
    results.add({ category: 'endurecimento', subject: APPS.join(', '), scenario: 'docker history --no-trunc e docker image inspect', result: 'usuário node; nenhum segredo (PASSWORD, TOKEN, KEY, credenciais em URL, .env, .npmrc) em camadas, ENV ou rótulos' });
    results.write();
  });
});
