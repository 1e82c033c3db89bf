import { docker, runCommand, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import { runningTasks, serviceLogLines, swarmSh } from './swarm';

/** The lab of deploy/lab/lab.sh: three nodes, and on the host's loopback each node's ports behind its number. */
export const NODES = [1, 2, 3] as const;
export type LabNode = (typeof NODES)[number];
export const nodeContainer = (n: LabNode) => `desafios-lab-node${n}`;
export const nodeHostname = (n: LabNode) => `lab-node${n}`;
/** One task on each node (a global service), as runningPerNode reports it. */
export const ONE_PER_NODE = { 'lab-node1': 1, 'lab-node2': 1, 'lab-node3': 1 };
export const consumerUrl = (n: LabNode) => `http://127.0.0.1:${n}5002/`;
export const gatewayUrl = (n: LabNode) => `http://127.0.0.1:${n}8888`;
/** The lab's registry as the host reaches it: lab.sh's LAB_REGISTRY_PORT (5050 unless set) on the loopback. */
export const REGISTRY_HOST = `127.0.0.1:${process.env.LAB_REGISTRY_PORT || 5050}`;
const REGISTRY_URL = `http://${REGISTRY_HOST}`;

/** deploy/lab/lab.sh, the script behind the Nx targets of project `lab`. */
export async function labSh(args: string[], timeoutMs: number): Promise<string> {
  const options = { cwd: WORKSPACE_ROOT, timeoutMs, stdoutTailChars: 4000 };
  return (await runCommand('bash', ['deploy/lab/lab.sh', ...args], options, `lab.sh ${args.join(' ')}`)).stdout;
}

/** deploy/swarm/swarm.sh against node 1's engine (the same script the single-node targets run). */
export const swarmShOnLab = (args: string[], env: Record<string, string>, timeoutMs: number) =>
  swarmSh(args, { DOCKER_HOST: engine(1), ...env }, timeoutMs);

/** Node n's Docker Engine, as a DOCKER_HOST. */
export const engine = (n: LabNode) => `tcp://127.0.0.1:${n}2375`;

/** The docker CLI against node n's engine. */
export const onNode = (n: LabNode, args: string[], timeoutMs = 60_000) => docker(args, timeoutMs, engine(n));

/** Tasks the swarm wants running for a service, with the node each is on and its state. */
export const tasks = (service: string, manager: LabNode = 1) => runningTasks(service, engine(manager));

/** Running tasks per node host name (only tasks in state Running). */
export async function runningPerNode(
  service: string,
  manager: LabNode = 1,
): Promise<Record<string, number>> {
  const perNode: Record<string, number> = {};
  for (const { node, state } of await tasks(service, manager))
    if (state.startsWith('Running')) perNode[node] = (perNode[node] ?? 0) + 1;
  return perNode;
}

/** Waits until `service` runs exactly `expected` tasks per node (bounded); returns the seconds it took. */
export async function waitForPlacement(
  service: string,
  expected: Record<string, number>,
  timeoutMs: number,
  manager: LabNode = 1,
): Promise<number> {
  const started = Date.now();
  await waitFor(
    `${service} placed as ${JSON.stringify(expected)}`,
    async () => {
      const now = await runningPerNode(service, manager);
      const total = Object.values(await tasks(service, manager)).length;
      const wanted = Object.values(expected).reduce((sum, n) => sum + n, 0);
      return total === wanted && JSON.stringify(sorted(now)) === JSON.stringify(sorted(expected))
        ? true
        : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
  return (Date.now() - started) / 1000;
}

const sorted = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** JSON log lines of a service's containers on node n (stopped ones too). */
export async function logLinesOnNode(n: LabNode, service: string): Promise<Record<string, unknown>[]> {
  return (await serviceLogLines(service, { engine: engine(n), all: true })).map(({ entry }) => entry);
}

/**
 * The manifest digest the registry serves for repository:tag (what a node pulls): the list's, for an
 * image published for several platforms (a client that accepts no list gets the amd64 image's instead).
 */
export async function registryDigest(repository: string, tag: string): Promise<string> {
  const response = await fetch(`${REGISTRY_URL}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: [
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
      ].join(', '),
    },
  });
  if (!response.ok) throw new Error(`registry: ${repository}:${tag} → ${response.status}`);
  return response.headers.get('docker-content-digest') ?? '';
}
