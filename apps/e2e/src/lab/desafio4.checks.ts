// Part of the lab suite (lab.e2e.ts, which stands the lab up): desafio 4 spread over three nodes, under load.
import { docker, failed, failedRequests, load, sleep, startLoad, waitFor } from '@desafios/testing';
import {
  consumerUrl,
  LabNode,
  nodeContainer,
  nodeHostname,
  NODES,
  onNode,
  REGISTRY_HOST,
  runningPerNode,
  swarmShOnLab,
  tasks,
  waitForPlacement,
  ONE_PER_NODE,
} from '../support/lab';
import { Lab, nodeState, servedPerNode } from '../support/lab-checks';
import { expectNoFailedRequest, RECORDED_LOAD, relabel } from '../support/swarm';

const USERS_SERVICE = 'desafio4_users-service';
const USERS_CONSUMER = 'desafio4_users-consumer';
export function desafio4Checks(lab: Lab): void {
  it('spreads: one users-service replica and one consumer per node; each node’s consumer reaches replicas on all three nodes', async () => {
    expect(await runningPerNode(USERS_SERVICE)).toEqual(ONE_PER_NODE);
    expect(await runningPerNode(USERS_CONSUMER)).toEqual(ONE_PER_NODE);
    const shares: Record<string, Record<string, number>> = {};
    for (const via of NODES) {
      const prefix = `spread-${via}-${Date.now()}`;
      const result = await load(consumerUrl(via), {
        ...RECORDED_LOAD,
        connections: 3,
        maxRequests: 300,
        durationMs: 120_000,
        requestId: (i) => `${prefix}-${i}`,
      });
      expect(failedRequests(result)).toEqual([]);
      expect(result.ok).toBe(300);
      // Which node served each request: users-service logs the consumer's X-Request-Id, read per node.
      const servedBy = await servedPerNode(USERS_SERVICE, prefix, 300);
      shares[`via ${nodeHostname(via)}`] = Object.fromEntries(
        Object.entries(servedBy).map(([node, count]) => [
          node,
          Math.round((count / 300) * 100) / 100,
        ]),
      );
    }
    lab.measured.spread = shares;
    for (const perNode of Object.values(shares)) {
      expect(Object.keys(perNode).sort()).toEqual(Object.keys(ONE_PER_NODE));
      for (const share of Object.values(perNode)) expect(share).toBeGreaterThanOrEqual(0.2);
    }
  });

  it('draining a node under load moves its users-service replica to the others with zero failed requests', async () => {
    const prefix = `drain-${Date.now()}`;
    // Through nodes 1 and 3: a drained node stops its own consumer too (clients use another node).
    const running = startLoad([consumerUrl(1), consumerUrl(3)], {
      ...RECORDED_LOAD,
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
    lab.measured.drain = {
      movedSeconds,
      requests: result.started,
      failed: failedRequests(result).length,
      placement: moved,
    };

    expectNoFailedRequest(result);
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
      { ...RECORDED_LOAD, connections: 3, durationMs: 240_000, requestId: (i) => `${prefix}-${i}` },
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
    lab.measured.rollingUpdate = {
      seconds,
      requests: result.started,
      failed: failedRequests(result).length,
    };

    expect(out).toContain('atualização completed');
    expectNoFailedRequest(result);
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
      { ...RECORDED_LOAD, connections: 3, durationMs: 180_000, requestId: (i) => `${prefix}-${i}` },
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
    lab.measured.nodeLoss = {
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
}
