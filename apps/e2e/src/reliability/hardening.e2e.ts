/**
 * The hardening of docker-compose.yml, read from `docker compose config` (what Docker will really
 * run), and the images' layers and config, read from `docker history` and `docker image inspect`:
 * what the CIS Docker Benchmark checks of each container and image (docker-bench-security's numbers
 * in the test names), for every service of every profile. The exceptions are asserted as they are
 * and explained in docs/decisions.md. One running container proves that the PIDs limit holds.
 * Needs the images: npx nx run-many -t docker-build (or each app's docker-build)
 */
import { ComposeProject, docker, WORKSPACE_ROOT } from '@desafios/testing';
import { Results } from '../support/results';

const SUITE = 'reliability: hardening';
const COMPOSE_BLOCK = 'docker compose config';
const IMAGES_BLOCK = 'images';
const results = new Results('hardening');

interface ServiceConfig {
  image: string;
  user?: string;
  init?: boolean;
  read_only?: boolean;
  privileged?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  mem_limit?: number | string;
  cpu_quota?: number | string;
  cpu_period?: number | string;
  pids_limit?: number;
  restart?: string;
  logging?: { driver: string; options?: Record<string, string> };
  healthcheck?: { test?: string[]; disable?: boolean };
  ports?: { host_ip?: string; published?: string }[];
  volumes?: { type: string; source?: string; read_only?: boolean; bind?: { propagation?: string } }[];
  devices?: unknown[];
  networks?: Record<string, unknown>;
  network_mode?: string;
  pid?: string;
  ipc?: string;
  uts?: string;
  userns_mode?: string;
  cgroup_parent?: string;
}

interface ImageConfig {
  User: string;
  Env: string[];
  Labels: Record<string, string> | null;
  Healthcheck?: { Test?: string[] };
}

const SERVERS = ['greeting-server', 'curl-client', 'web-gateway', 'db', 'cache', 'users-service', 'users-consumer', 'prometheus'];
const JOBS = ['sqlite-persister'];
const ALL = [...SERVERS, ...JOBS];
const APPS = ['greeting-server', 'curl-client', 'sqlite-persister', 'web-gateway', 'users-service', 'users-consumer'];
// db's entrypoint starts as root to chown PGDATA, then drops to postgres (gosu): the caps it needs for that.
const DB_CAPS = ['CHOWN', 'DAC_READ_SEARCH', 'FOWNER', 'SETGID', 'SETUID'];
// A PIDs limit is a ceiling far below the host's table (pid_max is 32768 or more): db's is the largest.
const MAX_PIDS = 256;

const imageConfigs = new Map<string, Promise<ImageConfig>>();
function imageConfig(image: string): Promise<ImageConfig> {
  if (!imageConfigs.has(image)) imageConfigs.set(image, docker(['image', 'inspect', '--format', '{{json .Config}}', image]).then((json) => JSON.parse(json) as ImageConfig));
  return imageConfigs.get(image) as Promise<ImageConfig>;
}

const isRoot = (user: string | undefined) => !user || /^(root|0)(:|$)/.test(user);

describe(SUITE, () => {
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

  afterAll(() => results.write());

  describe(COMPOSE_BLOCK, () => {
    afterAll(() => {
      results.add({
        category: 'endurecimento',
        subject: 'compose (todos os perfis)',
        scenario: 'CIS Docker Benchmark, seção 5: read_only, cap_drop ALL, no-new-privileges, sem privileged/namespaces do host/devices/socket, init, limites de memória, CPU e PIDs, health check, usuário, logs rotativos, restart, portas em 127.0.0.1, db/cache só em dados_rede (internal)',
        result: `${Object.keys(services).length} serviços conferidos em \`docker compose config\`; exceções (docs/decisions.md): db começa como root com ${DB_CAPS.length} capabilities, ${JOBS.join(', ')} sem health check (roda uma vez e sai)`,
        // Added after the checks, outside any test: the row's verdict is that of every test in this block.
        test: `${SUITE} ${COMPOSE_BLOCK}`,
      });
    });

    it('every service of every profile is in the compose file', () => {
      expect(Object.keys(services).sort()).toEqual([...ALL].sort());
    });

    it.each(ALL)('%s: read-only root, no capabilities, no-new-privileges, init, memory, CPU and PIDs limits, log rotation, restart policy', (name) => {
      const service = services[name];
      expect(service.read_only).toBe(true); // 5.13
      expect(service.cap_drop).toEqual(['ALL']); // 5.4
      expect([...(service.cap_add ?? [])].sort()).toEqual(name === 'db' ? DB_CAPS : []);
      expect(service.security_opt).toContain('no-new-privileges:true'); // 5.26
      // db: postgres is its own PID 1 (a root init without CAP_KILL could not signal it).
      expect(service.init ?? false).toBe(name !== 'db');
      expect(service.tmpfs?.some((mount) => mount.startsWith('/tmp'))).toBe(true);
      expect(Number(service.mem_limit)).toBeGreaterThan(0); // 5.11
      // A CPU limit as quota per 10 ms period (docker-compose.yml says why), at least a tenth of a core.
      expect(Number(service.cpu_period)).toBe(10_000);
      expect(Number(service.cpu_quota)).toBeGreaterThanOrEqual(1_000);
      // 5.29: a fork bomb stops at the container's limit.
      expect(service.pids_limit).toBeGreaterThan(0);
      expect(service.pids_limit).toBeLessThanOrEqual(MAX_PIDS);
      expect(service.logging?.driver).toBe('json-file');
      expect(service.logging?.options).toMatchObject({ 'max-size': expect.any(String), 'max-file': expect.any(String) });
      expect(service.restart).toBe(JOBS.includes(name) ? 'no' : 'unless-stopped');
    });

    it.each(ALL)('%s: not privileged; no host namespace, device, socket or writable host folder; seccomp and AppArmor on; not on the default bridge', (name) => {
      const service = services[name];
      expect(service.privileged ?? false).toBe(false); // 5.5
      // 5.10, 5.16, 5.17, 5.21, 5.31: network, PID, IPC, UTS and user namespaces of the container's own.
      for (const mode of [service.network_mode, service.pid, service.ipc, service.uts, service.userns_mode]) expect(mode).not.toBe('host');
      expect([undefined, 'none']).toContain(service.network_mode); // 5.30: compose's networks, never docker0
      expect(service.devices ?? []).toEqual([]); // 5.18
      expect(service.cgroup_parent).toBeUndefined(); // 5.25: Docker's own cgroup, where the limits above apply
      expect((service.security_opt ?? []).filter((option) => /unconfined/.test(option))).toEqual([]); // 5.2, 5.22
      // 5.6, 5.20, 5.32: a folder of the host only as a read-only file from this checkout (never / or the socket).
      for (const volume of (service.volumes ?? []).filter(({ type }) => type === 'bind')) {
        expect(volume.read_only).toBe(true);
        expect(volume.source?.startsWith(`${WORKSPACE_ROOT}/`)).toBe(true);
        expect(volume.bind?.propagation ?? 'rprivate').not.toMatch(/shared/);
      }
    });

    it('every long-running service has a health check (compose or image), the one-shot job none (5.27)', async () => {
      const checked = await Promise.all(
        ALL.map(async (name) => {
          const { healthcheck, image } = services[name];
          if (healthcheck?.disable) return { name, by: 'disabled' };
          if (healthcheck?.test?.length) return { name, by: 'compose' };
          const test = (await imageConfig(image)).Healthcheck?.Test ?? [];
          return { name, by: test.length && test[0] !== 'NONE' ? 'image' : 'none' };
        }),
      );
      expect(checked.filter(({ by }) => by === 'none' || by === 'disabled').map(({ name }) => name)).toEqual(JOBS);
      expect(Object.fromEntries(checked.filter(({ name }) => !APPS.includes(name)).map(({ name, by }) => [name, by]))).toEqual({ db: 'compose', cache: 'compose', prometheus: 'compose' });
    });

    it('every service starts as an unprivileged user but db, whose entrypoint starts as root (4.1)', async () => {
      const root: string[] = [];
      for (const name of ALL) if (isRoot(services[name].user ?? (await imageConfig(services[name].image)).User)) root.push(name);
      expect(root).toEqual(['db']);
    });

    it('every published port is above 1024 and bound to 127.0.0.1 by default, and BIND_ADDRESS moves them all (5.8, 5.14)', async () => {
      const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, ...port })));
      expect(published.map(({ name }) => name).sort()).toEqual(['greeting-server', 'prometheus', 'users-consumer', 'users-service', 'web-gateway']);
      for (const port of published) expect(port.host_ip).toBe('127.0.0.1');
      for (const port of published) expect(Number(port.published)).toBeGreaterThan(1024);
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
    });
  });

  describe(IMAGES_BLOCK, () => {
    afterAll(() => {
      results.add({
        category: 'endurecimento',
        subject: APPS.join(', '),
        scenario: 'docker history --no-trunc e docker image inspect (CIS 4.1, 4.6, 4.10)',
        result: `usuário node; HEALTHCHECK em todas menos ${JOBS.join(', ')}; nenhum segredo (PASSWORD, TOKEN, KEY, credenciais em URL, .env, .npmrc) em camadas, ENV ou rótulos`,
        test: `${SUITE} ${IMAGES_BLOCK}`,
      });
    });

    it.each(APPS)('desafios/%s: runs as node, a HEALTHCHECK unless it is a job, and no secret in its layers or config', async (app) => {
      const image = `desafios/${app}:latest`;
      const config = await imageConfig(image);
      expect(config.User).toBe('node');
      expect(Boolean(config.Healthcheck?.Test?.length)).toBe(!JOBS.includes(app));
      const history = await docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]);
      const text = [history, ...config.Env, ...Object.entries(config.Labels ?? {}).map(([k, v]) => `${k}=${v}`)].join('\n');
      expect(text).not.toMatch(/PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE|CREDENTIAL|npm_config__auth|\/\/[^/\s]+:[^@\s]+@/i);
      // Every layer instruction that copies files copies build output, not the whole context or a .env.
      expect(history).not.toMatch(/\.env\b|id_rsa|\.npmrc/);
    });
  });

  describe('a running container', () => {
    const project = new ComposeProject('desafios-rel-hardening', { COMPOSE_PROFILES: 'desafio2' });
    afterAll(() => project.run(['down', '-v', '--remove-orphans']));

    it('sqlite-persister: forking past its PIDs limit fails with EAGAIN (5.29)', async () => {
      const { stdout } = await project.run(['run', '--rm', '--no-deps', 'sqlite-persister', 'node', '-e', FORK_PROBE]);
      const probe = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { started: number; errors: string[]; max: string };
      const limit = services['sqlite-persister'].pids_limit;
      results.add({
        category: 'endurecimento',
        subject: 'sqlite-persister',
        scenario: `${FORKS} processos pedidos num container com pids_limit ${limit}`,
        result: `${probe.started} criados, os demais recusados (${probe.errors.join(', ')}); pids.max = ${probe.max}`,
        metrics: { started: probe.started },
      });
      // It forked up to the limit (node and the init hold a few of the PIDs), and no further.
      expect(probe.errors).toEqual(['EAGAIN']);
      expect(probe.started).toBeLessThan(Number(limit));
      expect(probe.started).toBeGreaterThan(Number(limit) / 2);
      expect(probe.max).toBe(String(limit));
    });
  });
});

const FORKS = 400;
/** Starts FORKS sleeping children, then reports how many started, the spawn errors and the cgroup's pids.max (v2, else v1). */
const FORK_PROBE = `
const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const errors = new Set();
const children = [];
for (let i = 0; i < ${FORKS}; i++) {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  child.on('error', (error) => errors.add(error.code));
  children.push(child);
}
setTimeout(() => {
  const file = existsSync('/sys/fs/cgroup/pids.max') ? '/sys/fs/cgroup/pids.max' : '/sys/fs/cgroup/pids/pids.max';
  console.log(JSON.stringify({ started: children.filter((child) => child.pid !== undefined).length, errors: [...errors], max: readFileSync(file, 'utf8').trim() }));
  process.exit(0);
}, 500);
`;
