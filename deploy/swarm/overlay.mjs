/**
 * What a swarm adds to the services of docker-compose.yml: only `deploy:` settings, secrets and
 * how each service is published. Everything else (image, environment, health checks, networks,
 * volumes, limits) comes from `docker compose --profile <desafio> config`; render.mjs merges the two.
 */

/** Rolling update: one task at a time, the new one up and healthy before the old one stops. */
const rolling = {
  parallelism: 1,
  delay: '1s',
  order: 'start-first',
  // After each task, Swarm watches it this long; a task that fails in that window rolls the update back.
  monitor: '5s',
  failure_action: 'rollback',
  max_failure_ratio: 0,
};

/**
 * A stateful single replica cannot run twice on one volume, nor two tasks on one node bind the same
 * host port: stop the old task before the new one.
 */
const stopFirst = { ...rolling, order: 'stop-first' };

const restart = { condition: 'any', delay: '2s', max_attempts: 0, window: '20s' };

/**
 * The apps' probe is the image's HEALTHCHECK (node healthcheck.js); only its timing changes. Swarm
 * stops a task that turns unhealthy, and during a rolling update that counts as a failed update
 * (rollback): on a busy machine a 3 s probe timeout and 3 retries are too tight for that.
 */
const appHealth = { interval: '5s', timeout: '10s', retries: 5, start_period: '60s' };

/**
 * Liveness instead of readiness for apps whose /health/ready includes an upstream: Swarm restarts
 * an unhealthy task, and restarting users-consumer (or web-gateway) cannot bring users-service (or
 * the database) back; it only adds a second outage and new host ports.
 */
const liveHealth = {
  ...appHealth,
  test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:' + (process.env.PORT || 5000) + '/health/live', { signal: AbortSignal.timeout(5000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"],
};

export const overlay = {
  // Published ports, per service: 'none' (only reachable inside the stack's network),
  // 'per-task' (every replica on its own host port; see render.mjs for dnsrr vs vip) or
  // 'fixed' (the compose file's port, host mode, on each node that runs a task of the service).
  // optIn: the variable that must be 1 for the service to be published at all. A published port
  // listens on every interface of the node (Swarm has no host_ip): the stack's header says so.
  services: {
    'users-service': {
      healthcheck: appHealth,
      publish: 'none',
      deploy: {
        replicas: 3,
        // One per node while there are enough nodes; after a node is lost, its replicas move to the others.
        placement: { preferences: [{ spread: 'node.id' }] },
        update_config: rolling,
        rollback_config: rolling,
        restart_policy: restart,
        resources: { reservations: { memory: '64M' } },
      },
    },
    // The entry points: one task on every node (global), on the compose file's port of that node
    // (host mode), so every node answers at a known port: 5002 and 8888, no port to look up. The
    // port is the node's: an update stops the old task first, one node at a time (clients use another node).
    'users-consumer': {
      healthcheck: liveHealth,
      publish: 'fixed',
      // Three attempts, each to the next address: a replica that just died costs one attempt at most.
      environment: { USERS_RETRIES: '2' },
      deploy: { mode: 'global', update_config: stopFirst, rollback_config: stopFirst, restart_policy: restart, resources: { reservations: { memory: '64M' } } },
    },
    'web-gateway': {
      healthcheck: liveHealth,
      publish: 'fixed',
      secrets: { POSTGRES_PASSWORD: 'postgres_password' },
      deploy: { mode: 'global', update_config: stopFirst, rollback_config: stopFirst, restart_policy: restart, resources: { reservations: { memory: '64M' } } },
    },
    // A local volume lives on one node: the database runs on the node labelled for it, which keeps
    // its volume (swarm.sh labels the node itself on a single-node swarm).
    db: {
      publish: 'none',
      secrets: { POSTGRES_PASSWORD: 'postgres_password' },
      deploy: {
        replicas: 1,
        placement: { constraints: ['node.labels.desafios.db == true'] },
        update_config: stopFirst,
        restart_policy: restart,
        resources: { limits: { cpus: '1' } },
      },
    },
    cache: {
      publish: 'none',
      deploy: { replicas: 1, update_config: stopFirst, restart_policy: restart, resources: { limits: { cpus: '0.5' } } },
    },
    // The profile observabilidade, in every stack: its scrape config asks tasks.<service> (one target per replica).
    // Not published unless asked (SWARM_PUBLISH_PROMETHEUS=1): its UI and API have no login, and on a
    // node with a public interface a host-mode port is open to all.
    prometheus: {
      publish: 'fixed',
      optIn: 'SWARM_PUBLISH_PROMETHEUS',
      configs: { prometheus: '/etc/prometheus/prometheus.yml' },
      deploy: { replicas: 1, update_config: stopFirst, restart_policy: restart },
    },
  },
  // Swarm configs: name → file (relative to deploy/swarm/); render.mjs adds a hash of the content.
  configs: { prometheus: 'prometheus.yml' },
  // Swarm secrets: name → file (relative to deploy/swarm/), created by swarm.sh when missing.
  secrets: { postgres_password: 'secrets/postgres_password' },
};
