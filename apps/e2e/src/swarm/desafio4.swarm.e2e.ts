/**
 * Desafio 4 on Docker Swarm: the stack rendered from docker-compose.yml (deploy/swarm), deployed
 * with the same script as `npx nx run swarm:deploy`, on a single-node swarm that this test creates
 * itself. users-service runs 3 replicas with endpoint_mode dnsrr (this kernel has no IPVS);
 * users-consumer runs one task per node (global) on the compose file's fixed port, host mode
 * (USERS_CONSUMER_PORT, a free port here), and the load goes there, from 127.0.0.1.
 *
 * Proves: the consumer spreads its calls over every users-service replica (each ≥ 20 %); a rolling
 * update of users-service under load and a replica killed under load cost zero failed requests;
 * Swarm replaces the killed replica. Fails at once, touching nothing, if the engine is already in a
 * swarm; otherwise creates one, and removes its stack and leaves swarm mode afterwards.
 * Needs the images: npx nx run users-service:docker-build && npx nx run users-consumer:docker-build
 */
import {
  docker,
  failedRequests,
  freePort,
  load,
  sleep,
  startLoad,
  untilStatus,
  waitFor,
} from '@desafios/testing';
import { query, targets } from '../support/prometheus';
import {
  expectNoFailedRequest,
  hostAddresses,
  initOwnSwarm,
  RECORDED_LOAD,
  relabel,
  servedUsersRequest,
  runningTasks,
  serviceContainers,
  serviceLogLines,
  serviceSpec,
  swarmSh,
} from '../support/swarm';

const STACK = 'desafios-e2e-swarm';
// PROMETHEUS_PORT, USERS_CONSUMER_PORT: free host ports, picked before the deploy (the stack publishes there;
// Prometheus only when asked, as here).
const ENV: Record<string, string> = {
  STACK,
  SWARM_ENDPOINT_MODE: 'dnsrr',
  SWARM_PUBLISH_PROMETHEUS: '1',
  SWARM_WAIT_S: '200',
  REGISTRY: '',
  IMAGE_TAG: '',
};
const USERS_SERVICE = `${STACK}_users-service`;
const USERS_CONSUMER = `${STACK}_users-consumer`;
const ROLLOUT_IMAGE = `desafios/users-service:e2e-rollout-${Date.now()}`;

/** The one users-consumer task of this node, on its fixed host port: no port to look up. */
async function consumerUrls(): Promise<string[]> {
  const consumers = await serviceContainers(USERS_CONSUMER);
  expect(consumers).toHaveLength(1);
  expect(consumers[0].ports).toEqual([Number(ENV.USERS_CONSUMER_PORT)]);
  return [`http://127.0.0.1:${ENV.USERS_CONSUMER_PORT}/`];
}

describe('desafio 4 on Docker Swarm: spread, rolling update and a killed replica under load', () => {
  // Set once this suite has created its own swarm: only then does it remove the stack and leave.
  let created = false;

  beforeAll(async () => {
    await initOwnSwarm(ENV);
    created = true;
    ENV.PROMETHEUS_PORT = String(await freePort());
    ENV.USERS_CONSUMER_PORT = String(await freePort());
    await swarmSh(['deploy', 'desafio4'], ENV, 240_000);
    // The consumer answers with the list before any load starts.
    for (const url of await consumerUrls()) await untilStatus(url, 200, Date.now(), 30_000);
  }, 300_000);

  afterAll(async () => {
    if (!created) return;
    try {
      await swarmSh(['rm', 'desafio4'], ENV, 90_000);
    } finally {
      // The swarm is this suite's own: leave it whatever happened above.
      await swarmSh(['leave'], ENV, 60_000);
      await docker(['image', 'rm', '-f', ROLLOUT_IMAGE]).catch(() => undefined);
    }
  }, 180_000);

  it('deploys 3 users-service replicas (dnsrr, rolling start-first with rollback) and a global users-consumer on its fixed port', async () => {
    const spec = await serviceSpec(USERS_SERVICE);
    expect(spec.Mode.Replicated?.Replicas).toBe(3);
    expect(spec.EndpointSpec.Mode).toBe('dnsrr');
    expect(spec.UpdateConfig).toMatchObject({
      Parallelism: 1,
      Order: 'start-first',
      FailureAction: 'rollback',
    });
    expect(spec.TaskTemplate.RestartPolicy.Condition).toBe('any');
    expect(spec.TaskTemplate.Resources.Limits.MemoryBytes).toBeGreaterThan(0);
    expect(await serviceContainers(USERS_SERVICE)).toHaveLength(3);
    const consumer = await serviceSpec(USERS_CONSUMER);
    expect(consumer.Mode.Global).toBeDefined();
    expect(consumer.EndpointSpec.Ports).toEqual([
      expect.objectContaining({
        TargetPort: 5000,
        PublishedPort: Number(ENV.USERS_CONSUMER_PORT),
        PublishMode: 'host',
      }),
    ]);
    // Two tasks cannot hold one host port: an update stops the old one first.
    expect(consumer.UpdateConfig.Order).toBe('stop-first');
    // Swarm has no host_ip: the port listens on every interface of the node, as the stack's header says.
    const [task] = await serviceContainers(USERS_CONSUMER);
    expect(await hostAddresses(task.id)).toContain('0.0.0.0');
  });

  it('spreads 300 requests over every users-service replica, each serving at least 20 %', async () => {
    const prefix = `spread-${Date.now()}`;
    const result = await load(await consumerUrls(), {
      ...RECORDED_LOAD,
      connections: 4,
      maxRequests: 300,
      durationMs: 120_000,
      requestId: (n) => `${prefix}-${n}`,
    });
    expect(failedRequests(result)).toEqual([]);
    expect(result.ok).toBe(300);

    // users-service logs every request with the consumer's X-Request-Id; each replica's own log says which one served it.
    const served = await waitFor(
      'the 300 requests in the users-service logs',
      async () => {
        const lines = (await serviceLogLines(USERS_SERVICE)).filter(({ entry }) =>
          servedUsersRequest(entry, prefix),
        );
        return lines.length >= 300 ? lines : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    const perTask = new Map<string, number>();
    for (const { task } of served) perTask.set(task, (perTask.get(task) ?? 0) + 1);
    const shares = [...perTask.values()].map((count) => count / served.length);
    expect(perTask.size).toBe(3);
    for (const share of shares) expect(share).toBeGreaterThanOrEqual(0.2);
  });

  it('Prometheus finds every replica through tasks.<service> and shows the spread per replica', async () => {
    const prometheus = `http://127.0.0.1:${ENV.PROMETHEUS_PORT}`;
    const upOf = (found: { job: string; health: string }[], job: string) =>
      found.filter((target) => target.job === job && target.health === 'up').length;
    await waitFor(
      '3 users-service and 1 users-consumer targets up',
      async () => {
        const found = await targets(prometheus);
        return upOf(found, 'users-service') === 3 && upOf(found, 'users-consumer') === 1
          ? found
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    // The 300 requests of the spread case, counted by each replica and scraped since.
    const perReplica = await waitFor(
      'the spread case scraped from every replica',
      async () => {
        const samples = await query(
          prometheus,
          'sum by (instance) (http_request_duration_seconds_count{job="users-service",route="/users",status_code="200"})',
        );
        return samples.length === 3 && samples.reduce((sum, sample) => sum + sample.value, 0) >= 300
          ? samples
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    const total = perReplica.reduce((sum, sample) => sum + sample.value, 0);
    for (const { value } of perReplica) expect(value / total).toBeGreaterThanOrEqual(0.2);
  });

  it('users-service says which replica answered: x-served-by is the container host name', async () => {
    const replicas = await serviceContainers(USERS_SERVICE);
    const [consumer] = await serviceContainers(USERS_CONSUMER);
    const script =
      "fetch('http://users-service:5000/users').then((r) => console.log(r.headers.get('x-served-by')))";
    const servedBy = await docker(['exec', consumer.id, 'node', '-e', script]);
    expect(replicas.map(({ hostname }) => hostname)).toContain(servedBy);
  });

  it('a rolling update of users-service under load: zero failed requests, every task on the new image', async () => {
    await relabel('desafios/users-service:latest', ROLLOUT_IMAGE, ROLLOUT_IMAGE);
    const before = (await serviceContainers(USERS_SERVICE)).map(({ id }) => id);
    const prefix = `rollout-${Date.now()}`;
    const running = startLoad(await consumerUrls(), {
      ...RECORDED_LOAD,
      connections: 3,
      durationMs: 200_000,
      requestId: (n) => `${prefix}-${n}`,
    });
    await sleep(1000);
    const out = await swarmSh(['update', 'users-service', ROLLOUT_IMAGE, 'desafio4'], ENV, 200_000);
    await sleep(1000);
    const result = await running.stop();

    expect(out).toContain('atualização completed');
    expectNoFailedRequest(result);
    expect(result.ok).toBeGreaterThanOrEqual(100);
    const tasks = await runningTasks(USERS_SERVICE);
    expect(tasks).toHaveLength(3);
    for (const task of tasks) expect(task.image).toBe(ROLLOUT_IMAGE);
    const after = (await serviceContainers(USERS_SERVICE)).map(({ id }) => id);
    expect(after).toHaveLength(3);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
  });

  it('a users-service replica killed under load: zero failed requests after the retry, and Swarm replaces it', async () => {
    const before = await serviceContainers(USERS_SERVICE);
    expect(before).toHaveLength(3);
    const victim = before[1].id;
    const prefix = `kill-${Date.now()}`;
    const running = startLoad(await consumerUrls(), {
      ...RECORDED_LOAD,
      connections: 3,
      durationMs: 120_000,
      requestId: (n) => `${prefix}-${n}`,
    });
    await sleep(1500);
    await docker(['kill', victim]);
    const sentAtKill = running.started;
    const replaced = await waitFor(
      'Swarm to run 3 healthy users-service replicas again, without the killed one',
      async () => {
        const now = await serviceContainers(USERS_SERVICE);
        const tasks = await runningTasks(USERS_SERVICE);
        const healthy =
          tasks.length === 3 && tasks.every(({ state }) => state.startsWith('Running'));
        return healthy && now.length === 3 && !now.some(({ id }) => id === victim)
          ? now
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    await sleep(2000);
    const result = await running.stop();

    expectNoFailedRequest(result);
    expect(result.ok).toBeGreaterThanOrEqual(50);
    // The kill fell inside the load: requests were sent before it and kept coming until Swarm had replaced the replica.
    expect(sentAtKill).toBeGreaterThan(0);
    expect(result.started - sentAtKill).toBeGreaterThanOrEqual(20);
    expect(replaced.filter(({ id }) => !before.some((old) => old.id === id))).toHaveLength(1);
  });
});
