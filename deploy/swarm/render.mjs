#!/usr/bin/env node
/**
 * Renders deploy/swarm/<desafio>.stack.yml from docker-compose.yml, so the swarm runs the very
 * services that `docker compose` runs (no second copy that drifts):
 *
 *   docker compose --profile <desafio> config --format json   (the compose file, resolved)
 *   + overlay.mjs                                              (deploy:, secrets, publishing)
 *   → a stack file for `docker stack deploy`
 *
 * Usage: node deploy/swarm/render.mjs [desafio3 desafio4] [--check | --stdout]
 *   --check   renders in memory and exits 1 if a committed stack file is out of date.
 *   --stdout  prints the stack file instead of writing it (swarm.sh pipes it to docker stack deploy).
 * Environment:
 *   SWARM_ENDPOINT_MODE  dnsrr (default: DNS round-robin, host-mode ports; works without IPVS)
 *                        or vip (virtual IP + ingress routing mesh; needs IPVS in the kernel)
 *   REGISTRY, IMAGE_TAG  images become $REGISTRY/desafios/<app>:$IMAGE_TAG (for multi-node swarms)
 *   MIRROR_REGISTRY      postgres, redis and prometheus come from $MIRROR_REGISTRY/<image> too
 *   SWARM_PUBLISH_PROMETHEUS=1  publish Prometheus on PROMETHEUS_PORT (off by default; see overlay.mjs)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { overlay } from './overlay.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** Keys Swarm applies as they are. */
const KEEP = ['image', 'command', 'entrypoint', 'environment', 'healthcheck', 'read_only', 'cap_add', 'cap_drop', 'logging', 'stop_grace_period', 'stop_signal', 'user', 'working_dir', 'init', 'ulimits', 'sysctls', 'labels', 'hostname', 'extra_hosts', 'dns'];
/** Keys converted: mem_limit/cpus (or cpu_quota per cpu_period)/pids_limit → deploy.resources.limits, tmpfs → tmpfs mounts, ports, volumes, networks. */
const CONVERTED = ['mem_limit', 'cpus', 'cpu_quota', 'cpu_period', 'pids_limit', 'tmpfs', 'ports', 'volumes', 'networks', 'deploy'];
/** Keys that only mean something to `docker compose` (build, start order, restart) or that Swarm ignores. */
const COMPOSE_ONLY = ['build', 'profiles', 'depends_on', 'restart', 'container_name', 'pull_policy'];

export function render(stack, env = process.env) {
  const endpointMode = env.SWARM_ENDPOINT_MODE || 'dnsrr';
  if (!['dnsrr', 'vip'].includes(endpointMode)) throw new Error(`SWARM_ENDPOINT_MODE deve ser dnsrr ou vip, não "${endpointMode}"`);
  const compose = JSON.parse(
    execFileSync('docker', ['compose', '-f', join(root, 'docker-compose.yml'), '--profile', stack, '--profile', 'observabilidade', 'config', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...env, COMPOSE_PROFILES: '' },
    }),
  );
  const dropped = {};
  const published = [];
  const services = {};
  const usedSecrets = new Set();
  const usedConfigs = new Set();
  for (const [name, source] of Object.entries(compose.services)) {
    const extra = overlay.services[name] ?? {};
    const service = {};
    for (const key of KEEP) if (source[key] !== undefined && source[key] !== null) service[key] = source[key];
    if (service.healthcheck?.start_interval !== undefined) {
      // Not in the stack file schema (3.9); Swarm probes at `interval` from the start instead.
      const { start_interval: _unused, ...healthcheck } = service.healthcheck;
      service.healthcheck = healthcheck;
      (dropped[name] ??= []).push('healthcheck.start_interval');
    }
    const ignored = Object.keys(source).filter((key) => !KEEP.includes(key) && !CONVERTED.includes(key) && !COMPOSE_ONLY.includes(key));
    if (ignored.length) (dropped[name] ??= []).unshift(...ignored);

    if (extra.healthcheck) service.healthcheck = { ...service.healthcheck, ...extra.healthcheck };
    service.image = imageFor(service.image, env);
    service.environment = { ...service.environment, ...extra.environment };
    for (const [variable, secret] of Object.entries(extra.secrets ?? {})) {
      delete service.environment[variable];
      service.environment[`${variable}_FILE`] = `/run/secrets/${secret}`;
      (service.secrets ??= []).push(secret);
      usedSecrets.add(secret);
    }
    if (Object.keys(service.environment).length === 0) delete service.environment;

    const configTargets = Object.values(extra.configs ?? {});
    for (const [config, target] of Object.entries(extra.configs ?? {})) {
      (service.configs ??= []).push({ source: configName(config), target });
      usedConfigs.add(config);
    }
    const tmpfs = (source.tmpfs ?? []).map((spec) => tmpfsMount(spec, (dropped[name] ??= [])));
    if (tmpfs.includes(undefined)) service.read_only = false;
    // A file bind-mounted from this checkout exists on this node only: on a swarm it comes as a config.
    const volumes = (source.volumes ?? []).filter(({ type, target }) => !(type === 'bind' && configTargets.includes(target)));
    if (volumes.length < (source.volumes ?? []).length) (dropped[name] ??= []).push('volumes (bind → config)');
    const mounts = [
      ...volumes.map(({ type, source: from, target, read_only }) => clean({ type, source: from, target, read_only })),
      ...tmpfs.filter(Boolean),
    ];
    if (mounts.length) service.volumes = mounts;
    if (source.networks) service.networks = Object.keys(source.networks);

    const optedOut = extra.optIn && env[extra.optIn] !== '1';
    const ports = publish(source.ports ?? [], optedOut ? 'none' : (extra.publish ?? 'none'), endpointMode);
    if (ports.length) service.ports = ports;
    // Swarm has no host_ip: a port the compose file binds to one address listens on every one here.
    const bound = [...new Set((source.ports ?? []).map((port) => port.host_ip).filter(Boolean))];
    if (ports.length && bound.length) (dropped[name] ??= []).push(`ports: host_ip ${bound.join(', ')} (o Swarm não aceita; todas as interfaces)`);
    for (const port of ports) published.push(`${name} ${port.published ?? '(porta livre qualquer)'}/${port.protocol} → ${port.target}, modo ${port.mode}`);
    if (optedOut && source.ports?.length) published.push(`${name}: não publicado (${extra.optIn}=1 publica)`);

    // pids: in the stack file schema since 3.9 (Docker 20.10, `docker service create --limit-pids`).
    const limits = clean({ memory: source.mem_limit === undefined ? undefined : String(source.mem_limit), cpus: cpuLimit(source), pids: source.pids_limit });
    service.deploy = merge(merge(source.deploy ?? {}, { resources: { limits } }), { endpoint_mode: endpointMode, ...extra.deploy });
    services[name] = service;
  }

  const stackFile = {
    version: '3.9',
    services,
    // Overlay networks span every node; attachable so a one-off container (docker run --network) can join.
    networks: Object.fromEntries(
      Object.entries(compose.networks ?? {}).map(([name, network]) => [name, clean({ driver: 'overlay', attachable: true, internal: network.internal || undefined })]),
    ),
  };
  const volumes = Object.entries(compose.volumes ?? {}).map(([name, volume]) => [name, volume.external ? { external: true, name: volume.name } : {}]);
  if (volumes.length) stackFile.volumes = Object.fromEntries(volumes);
  if (usedSecrets.size) stackFile.secrets = Object.fromEntries([...usedSecrets].map((name) => [name, { file: `./${overlay.secrets[name]}` }]));
  if (usedConfigs.size) stackFile.configs = Object.fromEntries([...usedConfigs].map((name) => [configName(name), { file: `./${overlay.configs[name]}` }]));

  const notes = Object.entries(dropped).filter(([, keys]) => keys.length).map(([name, keys]) => `#   ${name}: ${keys.join(', ')}`);
  const header = [
    `# GERADO por deploy/swarm/render.mjs a partir de docker-compose.yml (perfil ${stack}) + overlay.mjs.`,
    '# Não edite à mão: mude o compose ou o overlay e rode `npx nx run swarm:render`.',
    `# endpoint_mode: ${endpointMode}${env.REGISTRY ? `; imagens de ${env.REGISTRY}` : ''}${env.MIRROR_REGISTRY ? `; as de terceiros de ${env.MIRROR_REGISTRY}` : ''}`,
    ...(notes.length ? ['# O que do compose o Swarm não aplica ou aplica de outro jeito:', ...notes] : []),
    ...publishedHeader(published),
  ];
  return `${header.join('\n')}\n${toYaml(stackFile)}\n`;
}

/** What the stack opens on the nodes, where it listens, and what to do about it (docs: README, "Portas"). */
function publishedHeader(published) {
  if (published.length === 0) return [];
  return [
    '# Portas publicadas: escutam em TODAS as interfaces do nó (modo host: de cada nó que roda uma tarefa',
    '# do serviço; modo ingress: de todos os nós do swarm).',
    ...published.sort((a, b) => a.includes('não publicado') - b.includes('não publicado')).map((line) => `#   ${line}`),
    '# Num nó com interface pública, feche essas portas no firewall para quem não deve alcançá-las (com',
    '# iptables, na cadeia DOCKER-USER: as regras que o Docker cria passam antes das do ufw/firewalld).',
  ];
}

/**
 * A Swarm config cannot change: its name carries a hash of the file, so a new content deploys as a
 * new config (`docker stack deploy` prefixes it with the stack's name, as it does secrets).
 */
function configName(name) {
  const hash = createHash('sha256').update(readFileSync(join(here, overlay.configs[name]))).digest('hex').slice(0, 10);
  return `${name}_${hash}`;
}

function imageFor(image, env) {
  // A registry that mirrors the third-party images too (the lab's nodes cannot pull from Docker Hub).
  if (!image?.startsWith('desafios/')) return image && env.MIRROR_REGISTRY ? `${env.MIRROR_REGISTRY.replace(/\/+$/, '')}/${image}` : image;
  const tagged = env.IMAGE_TAG ? image.replace(/:[^:/]+$/, '') + `:${env.IMAGE_TAG}` : image;
  return env.REGISTRY ? `${env.REGISTRY.replace(/\/+$/, '')}/${tagged}` : tagged;
}

/**
 * `tmpfs: - /path:size=16m` → a tmpfs mount. A stack file's tmpfs takes a size but no owner and
 * no mode (docker stack deploy ignores them), so a tmpfs the compose file hands to a user
 * (uid/gid) cannot be made here: it is left out and the service keeps a writable root filesystem
 * (the folder in the image already belongs to that user). Returns undefined for those.
 */
function tmpfsMount(spec, notes) {
  const [target, optionText = ''] = spec.split(':');
  const options = Object.fromEntries(optionText.split(',').filter(Boolean).map((pair) => pair.split('=')));
  const size = /^(\d+)([kmg]?)$/i.exec(options.size ?? '');
  const bytes = size ? Number(size[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[size[2].toLowerCase()] : undefined;
  if (options.uid !== undefined || options.gid !== undefined || options.mode !== undefined) {
    notes.push(`tmpfs ${target} (uid/gid/mode: a pilha não aplica; raiz gravável)`);
    return undefined;
  }
  return clean({ type: 'tmpfs', target, tmpfs: clean({ size: bytes }) });
}

/**
 * dnsrr has no routing mesh: a port is bound on the node of each task (mode: host). With no
 * `published`, each replica gets its own free host port, so several replicas fit on one node
 * (`docker ps` shows them). vip keeps the compose port, published once by the ingress mesh.
 */
function publish(ports, how, endpointMode) {
  if (how === 'none') return [];
  if (how === 'fixed') return ports.map((port) => ({ target: port.target, published: Number(port.published), protocol: port.protocol ?? 'tcp', mode: 'host' }));
  return ports.map((port) =>
    endpointMode === 'dnsrr'
      ? { target: port.target, protocol: port.protocol ?? 'tcp', mode: 'host' }
      : { target: port.target, published: Number(port.published), protocol: port.protocol ?? 'tcp', mode: 'ingress' },
  );
}

/** Swarm limits CPU in cores only: the compose file's quota per period (cpu_quota/cpu_period, µs), as cores. */
function cpuLimit(source) {
  if (source.cpus !== undefined) return String(source.cpus);
  if (source.cpu_quota === undefined) return undefined;
  return String(Number(source.cpu_quota) / Number(source.cpu_period ?? 100000));
}

function clean(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0)));
}

function merge(a, b) {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    out[key] = isPlain(value) && isPlain(out[key]) ? merge(out[key], value) : value;
  }
  return clean(out);
}

const isPlain = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A small YAML writer for JSON data: block maps and lists, every string double-quoted. */
export function toYaml(value, indent = 0) {
  const pad = ' '.repeat(indent);
  const scalar = (v) => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : String(v));
  const key = (k) => (/^[A-Za-z0-9_.-]+$/.test(k) ? k : JSON.stringify(k));
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]`;
    return value
      .map((item) => {
        if (isPlain(item) && Object.keys(item).length) {
          const [first, ...rest] = toYaml(item, indent + 2).split('\n');
          return [`${pad}- ${first.trimStart()}`, ...rest].join('\n');
        }
        return Array.isArray(item) && item.length ? `${pad}-\n${toYaml(item, indent + 2)}` : `${pad}- ${isPlain(item) ? '{}' : scalar(item)}`;
      })
      .join('\n');
  }
  if (isPlain(value)) {
    if (Object.keys(value).length === 0) return `${pad}{}`;
    return Object.entries(value)
      .map(([k, v]) => {
        if ((isPlain(v) || Array.isArray(v)) && (Array.isArray(v) ? v.length : Object.keys(v).length)) return `${pad}${key(k)}:\n${toYaml(v, indent + 2)}`;
        return `${pad}${key(k)}: ${isPlain(v) ? '{}' : Array.isArray(v) ? '[]' : scalar(v)}`;
      })
      .join('\n');
  }
  return `${pad}${scalar(value)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const stdout = args.includes('--stdout');
  const stacks = args.filter((arg) => !arg.startsWith('--'));
  let stale = 0;
  for (const stack of stacks.length ? stacks : ['desafio3', 'desafio4']) {
    const file = join(here, `${stack}.stack.yml`);
    const text = render(stack);
    const path = relative(process.cwd(), file);
    if (stdout) {
      process.stdout.write(text);
      continue;
    }
    if (check) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (current !== text) {
        stale += 1;
        console.error(`${path} está desatualizado: rode npx nx run swarm:render`);
      } else console.log(`${path} em dia`);
    } else {
      writeFileSync(file, text);
      console.log(`${path} gerado`);
    }
  }
  process.exit(stale ? 1 : 0);
}
