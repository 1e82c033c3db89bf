// Part of the lab suite (lab.e2e.ts, which stands the lab up): desafio 3, its database pinned to one node.
import { docker, get, waitFor } from '@desafios/testing';
import {
  gatewayUrl,
  labSh,
  nodeContainer,
  NODES,
  onNode,
  runningPerNode,
  ONE_PER_NODE,
} from '../support/lab';
import { gatewayStatus, Lab, nodeState } from '../support/lab-checks';

export function desafio3Checks(lab: Lab): void {
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

    // Each gateway is live at once and ready once db and cache answer: wait for that, then visit through every node.
    for (const n of NODES)
      await waitFor(`node ${n}'s gateway ready`, () => gatewayStatus(n), {
        timeoutMs: 90_000,
        intervalMs: 500,
      });
    for (const n of NODES)
      expect((await get(`${gatewayUrl(n)}/`, { timeoutMs: 10_000 })).status).toBe(200);
    const before = ((await gatewayStatus(3)) as { visitas: { total: number } }).visitas.total;
    expect(before).toBeGreaterThanOrEqual(3);

    const killedAt = Date.now();
    await docker(['kill', nodeContainer(3)]);
    await nodeState(3, 'down', killedAt);
    // The gateways of nodes 1 and 2 are ready again once whatever ran on node 3 (the cache, perhaps)
    // runs elsewhere, and the database on node 1 still holds the count.
    for (const n of [1, 2] as const) {
      const recovered = await waitFor(
        `node ${n}'s gateway ready after losing node 3`,
        () => gatewayStatus(n),
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      expect(recovered.visitas.total).toBe(before);
    }
    const recoveredSeconds = (Date.now() - killedAt) / 1000;
    expect((await get(`${gatewayUrl(1)}/`, { timeoutMs: 10_000 })).status).toBe(200);
    expect((await gatewayStatus(2))?.visitas.total).toBe(before + 1);
    expect(await runningPerNode('desafio3_db')).toEqual({ 'lab-node1': 1 });
    lab.measured.desafio3 = { visitsBefore: before, recoveredSeconds, visitsAfter: before + 1 };
  }, 600_000);
}
