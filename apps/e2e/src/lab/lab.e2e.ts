/**
 * The three-node lab (deploy/lab/lab.sh, `npx nx run lab:up`): a registry:2 and three Docker engines
 * in containers (docker:26-dind) forming a swarm of three managers, the app images published to the
 * registry by Nx Release (@nx/docker), and the stacks deployed from it. Every request goes to the
 * host's 127.0.0.1, where the lab publishes each node's ports (15002 → node 1's 5002, and so on).
 *
 * Proves, on three nodes: publishing and pulling back by digest on another engine; the consumer of
 * every node spreading its calls over users-service replicas on all three nodes; draining a node
 * under load, a rolling update across the nodes under load, and the sudden loss of a whole node under
 * load, with the failures counted and the recovery timed; desafio3 with its database pinned by a node
 * label to the node that holds its volume, and the visit count kept when a gateway node is lost.
 *
 * Fails at once, touching nothing, if a lab already runs on this engine; otherwise creates its own
 * and removes it (nodes, registry, volumes, network) at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, failed, failedRequests, get, load, LoadOptions, sleep, startLoad, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import {
  consumerUrl,
  gatewayUrl,
  LabNode,
  labSh,
  logLinesOnNode,
  nodeContainer,
  nodeHostname,
  NODES,
  onNode,
  registryDigest,
  REGISTRY_HOST,
  runningPerNode,
  swarmShOnLab,
  tasks,
  waitForPlacement,
} from '../support/lab';
import { relabel } from '../support/swarm';

const APPS = [
  'curl-client',
  'greeting-server',
  'sqlite-persister',
  'users-consumer',
  'users-service',
  'web-gateway',
];
const USERS_SERVICE = 'desafio4_users-service';
const USERS_CONSUMER = 'desafio4_users-consumer';
const ONE_PER_NODE = { 'lab-node1': 1, 'lab-node2': 1, 'lab-node3': 1 };
/** Any status but 200 fails, and so does no answer within 15 s; each request is recorded with its id. */
const LAB_LOAD: Omit<LoadOptions, 'connections' | 'durationMs'> = {
  maxRequests: 50_000,
  timeoutMs: 15_000,
  pauseMs: 10,
  record: true,
};
/** What the lab measured, for the README and the closing note: test-artifacts/lab/lab.json. */
const measured: Record<string, unknown> = {};

describe('three-node lab: a swarm fed by a registry, under load, losing a node', () => {
  let created = false;
  let upOutput = '';

  beforeAll(async () => {
    const existing = await docker(['ps', '-aq', '--filter', 'name=^desafios-lab-']);
    if (existing)
      throw new Error(
        'a lab already runs on this engine (desafios-lab-*); this suite creates its own and never touches one it did not create: npx nx run lab:down first',
      );
    const started = Date.now();
    created = true;
    upOutput = await labSh(['up'], 600_000);
    measured.upSeconds = Math.round((Date.now() - started) / 1000);
  }, 660_000);

  afterAll(async () => {
    writeResults();
    if (created) await labSh(['down'], 120_000);
  }, 180_000);

  it('nx release published every app image; each pulls back by digest on another engine, the same image', async () => {
    const published = new Map(
      [
        ...upOutput.matchAll(
          new RegExp(`^publicado ${REGISTRY_HOST.replaceAll('.', '\\.')}/desafios/([a-z-]+):(\\S+) (sha256:[0-9a-f]{64}) (\\S+)$`, 'gm'),
        ),
      ].map(([, app, tag, digest, platforms]) => [app, { tag, digest, platforms }]),
    );
    expect([...published.keys()].sort()).toEqual(APPS);
    for (const app of APPS) {
      const { tag, digest, platforms } = published.get(app) as { tag: string; digest: string; platforms: string };
      // The lab publishes this engine's platform only (RELEASE_PLATFORMS=native); e2e:arm64 checks both.
      expect(platforms).toBe(`linux/${await docker(['version', '--format', '{{.Server.Arch}}'])}`);
      expect(await registryDigest(`desafios/${app}`, tag)).toBe(digest);
      // Node 2 pulls by digest from the registry (as the nodes name it) and gets the very image built here.
      await onNode(2, ['pull', '-q', `registry:5000/desafios/${app}@${digest}`], 120_000);
      const pulled = await onNode(2, [
        'image',
        'inspect',
        '--format',
        '{{.Id}}',
        `registry:5000/desafios/${app}@${digest}`,
      ]);
      expect(pulled).toBe(
        await docker(['image', 'inspect', '--format', '{{.Id}}', `desafios/${app}:latest`]),
      );
    }
  }, 600_000);

  it('a dry run says what it would publish and tags nothing', async () => {
    const tag = `dry-run-${Date.now()}`;
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'node',
        ['tools/release/release.mjs', '--dry-run'],
        {
          cwd: WORKSPACE_ROOT,
          env: { ...process.env, IMAGE_TAG: tag },
          timeout: 300_000,
          maxBuffer: 32 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${stderr}\n${stdout}`)) : resolve(stdout),
      ),
    );
    for (const app of APPS) {
      expect(out).toContain(
        `Image would be tagged with ${REGISTRY_HOST}/desafios/${app}:${tag} but dry run is enabled.`,
      );
      expect(out).toContain(`publicaria ${REGISTRY_HOST}/desafios/${app}:${tag} linux/amd64,linux/arm64\n`);
      await expect(
        docker(['image', 'inspect', `${REGISTRY_HOST}/desafios/${app}:${tag}`]),
      ).rejects.toThrow(/No such image/);
    }
    expect(out).not.toMatch(/^publicado /m);
  }, 360_000);

  it('spreads: one users-service replica and one consumer per node; each node’s consumer reaches replicas on all three nodes', async () => {
    expect(await runningPerNode(USERS_SERVICE)).toEqual(ONE_PER_NODE);
    expect(await runningPerNode(USERS_CONSUMER)).toEqual(ONE_PER_NODE);
    const shares: Record<string, Record<string, number>> = {};
    for (const via of NODES) {
      const prefix = `spread-${via}-${Date.now()}`;
      const result = await load(consumerUrl(via), {
        ...LAB_LOAD,
        connections: 3,
        maxRequests: 300,
        durationMs: 120_000,
        requestId: (i) => `${prefix}-${i}`,
      });
      expect(failedRequests(result)).toEqual([]);
      expect(result.ok).toBe(300);
      // Which node served each request: users-service logs the consumer's X-Request-Id, read per node.
      const servedBy = await waitFor(
        `the 300 requests through node ${via} in the users-service logs of the three nodes`,
        async () => {
          const counts: Record<string, number> = {};
          for (const n of NODES) {
            counts[nodeHostname(n)] = (await logLinesOnNode(n, USERS_SERVICE))
              .map(
                (entry) =>
                  entry.message as
                    { url?: string; status?: number; requestId?: string } | undefined,
              )
              .filter(
                (message) =>
                  message?.url === '/users' &&
                  message.status === 200 &&
                  message.requestId?.startsWith(`${prefix}-`),
              ).length;
          }
          return Object.values(counts).reduce((a, b) => a + b, 0) >= 300 ? counts : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 1000 },
      );
      shares[`via ${nodeHostname(via)}`] = Object.fromEntries(
        Object.entries(servedBy).map(([node, count]) => [
          node,
          Math.round((count / 300) * 100) / 100,
        ]),
      );
    }
    measured.spread = shares;
    for (const perNode of Object.values(shares)) {
      expect(Object.keys(perNode).sort()).toEqual(Object.keys(ONE_PER_NODE));
      for (const share of Object.values(perNode)) expect(share).toBeGreaterThanOrEqual(0.2);
    }
  });

  it('draining a node under load moves its users-service replica to the others with zero failed requests', async () => {
    const prefix = `drain-${Date.now()}`;
    // Through nodes 1 and 3: a drained node stops its own consumer too (clients use another node).
    const running = startLoad([consumerUrl(1), consumerUrl(3)], {
      ...LAB_LOAD,
      connections: 3,
      durationMs: 150_000,
      requestId: (i) => `${prefix}-${i}`,
    });
    await sleep(1500);
    const drainedAt = Date.now();
    await onNode(1, ['node', 'update', '--availability', 'drain', nodeHostname(2)]);
    const moved = await waitFor(
      'users-service: 3 running replicas, none on the drained node',
      async () => {
        const perNode = await runningPerNode(USERS_SERVICE);
        const all = await tasks(USERS_SERVICE);
        return all.length === 3 &&
          perNode['lab-node2'] === undefined &&
          Object.values(perNode).reduce((a, b) => a + b, 0) === 3
          ? perNode
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const movedSeconds = (Date.now() - drainedAt) / 1000;
    await sleep(2000);
    const result = await running.stop();
    await onNode(1, ['node', 'update', '--availability', 'active', nodeHostname(2)]);
    measured.drain = {
      movedSeconds,
      requests: result.started,
      failed: failedRequests(result).length,
      placement: moved,
    };

    const failures = failedRequests(result);
    expect({ failed: failures.length, first: failures.slice(0, 5) }).toEqual({
      failed: 0,
      first: [],
    });
    expect(result.ok).toBeGreaterThanOrEqual(50);
    // Node 2 is active again: its consumer comes back (global service).
    await waitForPlacement(USERS_CONSUMER, ONE_PER_NODE, 90_000);
  });

  it('a rolling update across the nodes under load: zero failed requests, the new image on every replica', async () => {
    // A new version: the image with one more label, published to the lab's registry.
    const tag = `rollout-${Date.now()}`;
    await relabel(
      'desafios/users-service:latest',
      `${REGISTRY_HOST}/desafios/users-service:${tag}`,
      tag,
    );
    await docker(['push', '-q', `${REGISTRY_HOST}/desafios/users-service:${tag}`], 120_000);
    const prefix = `rollout-${Date.now()}`;
    const running = startLoad(
      NODES.map((n) => consumerUrl(n)),
      { ...LAB_LOAD, connections: 3, durationMs: 240_000, requestId: (i) => `${prefix}-${i}` },
    );
    await sleep(1000);
    const started = Date.now();
    const out = await swarmShOnLab(
      ['update', 'users-service', `registry:5000/desafios/users-service:${tag}`, 'desafio4'],
      { REGISTRY: 'registry:5000' },
      240_000,
    );
    const seconds = (Date.now() - started) / 1000;
    await sleep(1000);
    const result = await running.stop();
    measured.rollingUpdate = {
      seconds,
      requests: result.started,
      failed: failedRequests(result).length,
    };

    expect(out).toContain('atualização completed');
    const failures = failedRequests(result);
    expect({ failed: failures.length, first: failures.slice(0, 5) }).toEqual({
      failed: 0,
      first: [],
    });
    expect(result.ok).toBeGreaterThanOrEqual(100);
    const now = await tasks(USERS_SERVICE);
    expect(now).toHaveLength(3);
    for (const task of now)
      expect(task.image).toMatch(
        new RegExp(`^registry:5000/desafios/users-service:${tag}(@sha256:[0-9a-f]{64})?$`),
      );
    // Across the nodes: after the drain, the replicas sit on at least two of them (start-first places
    // each new task while the old one still runs, so the spread preference is not exact here).
    expect(Object.keys(await runningPerNode(USERS_SERVICE)).length).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it('losing a whole node under load: failures only inside the retry window, full strength again on the two nodes left', async () => {
    // The node to lose: node 2 or 3, whichever runs more users-service replicas (node 1 answers the test's commands).
    const before = await runningPerNode(USERS_SERVICE);
    const victim: LabNode = (before['lab-node3'] ?? 0) >= (before['lab-node2'] ?? 0) ? 3 : 2;
    const survivors = NODES.filter((n) => n !== victim);
    expect(before[nodeHostname(victim)] ?? 0).toBeGreaterThanOrEqual(1);
    const prefix = `loss-${Date.now()}`;
    const running = startLoad(
      survivors.map((n) => consumerUrl(n)),
      { ...LAB_LOAD, connections: 3, durationMs: 180_000, requestId: (i) => `${prefix}-${i}` },
    );
    await sleep(2000);
    // The machine is gone at once: SIGKILL to the node's container (its engine and every task in it).
    const killedAt = Date.now();
    await docker(['kill', nodeContainer(victim)]);
    const downSeconds = await nodeState(victim, 'down', killedAt);
    const fullSeconds = await waitFor(
      `users-service: 3 running replicas on nodes ${survivors.join(' and ')}`,
      async () => {
        const perNode = await runningPerNode(USERS_SERVICE);
        const onLive = survivors.reduce((sum, n) => sum + (perNode[nodeHostname(n)] ?? 0), 0);
        return onLive === 3 ? (Date.now() - killedAt) / 1000 : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    await sleep(3000);
    const result = await running.stop();

    const failures = result.requests.filter(failed);
    const window = failures.length
      ? {
          from: (failures[0].start - killedAt) / 1000,
          to: (Math.max(...failures.map((r) => r.end)) - killedAt) / 1000,
        }
      : null;
    measured.nodeLoss = {
      lost: nodeHostname(victim),
      replicasOnIt: before[nodeHostname(victim)],
      downSeconds,
      fullStrengthSeconds: fullSeconds,
      requests: result.started,
      failed: failures.length,
      failureWindowSeconds: window,
      // What losing a replica costs a request that succeeded: one attempt's USERS_TIMEOUT_MS, then the retry.
      slowestMs: Math.max(...result.requests.map((r) => r.end - r.start)),
    };

    expect(result.ok).toBeGreaterThanOrEqual(100);
    // The consumer tries another replica after USERS_TIMEOUT_MS (2 s), twice: a request may fail only
    // while a dead replica can still be picked, i.e. before the swarm has seen the node down.
    for (const request of failures)
      expect(request.start - killedAt).toBeLessThanOrEqual(downSeconds * 1000 + 5000);
    // And every request after the recovery succeeded.
    const afterRecovery = result.requests.filter((r) => r.start - killedAt > fullSeconds * 1000);
    expect(afterRecovery.length).toBeGreaterThan(0);
    expect(afterRecovery.filter(failed)).toEqual([]);

    // The machine comes back: its engine restarts, rejoins, and the global consumer runs there again.
    await docker(['start', nodeContainer(victim)]);
    await nodeState(victim, 'ready', Date.now());
    await waitForPlacement(USERS_CONSUMER, ONE_PER_NODE, 120_000);
  }, 420_000);

  it('desafio3: db pinned by label to the node with its volume; the visit count survives losing a gateway node', async () => {
    await labSh(['deploy', 'desafio3'], 420_000);
    expect(await runningPerNode('desafio3_db')).toEqual({ 'lab-node1': 1 });
    expect(await runningPerNode('desafio3_web-gateway')).toEqual(ONE_PER_NODE);
    // The volume exists on the labelled node only.
    expect(
      await onNode(1, ['volume', 'ls', '-q', '--filter', 'name=desafio3_dados_postgres']),
    ).toBe('desafio3_dados_postgres');
    for (const n of [2, 3] as const)
      expect(
        await onNode(n, ['volume', 'ls', '-q', '--filter', 'name=desafio3_dados_postgres']),
      ).toBe('');

    const status = async (n: LabNode) => {
      const { status: code, body } = await get(`${gatewayUrl(n)}/status`, { timeoutMs: 10_000 });
      return code === 200 ? (JSON.parse(body) as { visitas: { total: number } }) : undefined;
    };
    // Each gateway is live at once and ready once db and cache answer: wait for that, then visit through every node.
    for (const n of NODES)
      await waitFor(`node ${n}'s gateway ready`, () => status(n), {
        timeoutMs: 90_000,
        intervalMs: 500,
      });
    for (const n of NODES)
      expect((await get(`${gatewayUrl(n)}/`, { timeoutMs: 10_000 })).status).toBe(200);
    const before = ((await status(3)) as { visitas: { total: number } }).visitas.total;
    expect(before).toBeGreaterThanOrEqual(3);

    const killedAt = Date.now();
    await docker(['kill', nodeContainer(3)]);
    await nodeState(3, 'down', killedAt);
    // The gateways of nodes 1 and 2 are ready again once whatever ran on node 3 (the cache, perhaps)
    // runs elsewhere, and the database on node 1 still holds the count.
    for (const n of [1, 2] as const) {
      const recovered = await waitFor(
        `node ${n}'s gateway ready after losing node 3`,
        () => status(n),
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      expect(recovered.visitas.total).toBe(before);
    }
    const recoveredSeconds = (Date.now() - killedAt) / 1000;
    expect((await get(`${gatewayUrl(1)}/`, { timeoutMs: 10_000 })).status).toBe(200);
    expect((await status(2))?.visitas.total).toBe(before + 1);
    expect(await runningPerNode('desafio3_db')).toEqual({ 'lab-node1': 1 });
    measured.desafio3 = { visitsBefore: before, recoveredSeconds, visitsAfter: before + 1 };
  }, 600_000);
});

/** Waits until the swarm reports node n in `state` (down, ready); returns the seconds since `since`. */
async function nodeState(n: LabNode, state: 'down' | 'ready', since: number): Promise<number> {
  return waitFor(
    `the swarm to see ${nodeHostname(n)} ${state}`,
    async () =>
      (await onNode(1, ['node', 'inspect', '--format', '{{.Status.State}}', nodeHostname(n)])) ===
      state
        ? (Date.now() - since) / 1000
        : undefined,
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

function writeResults(): void {
  const dir = join(WORKSPACE_ROOT, 'test-artifacts/lab');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lab.json'), `${JSON.stringify(measured, null, 2)}\n`);
  process.stdout.write(`\n[lab] ${JSON.stringify(measured)}\n`);
}
