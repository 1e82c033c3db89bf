/**
 * What the lab suite reads off the lab, apart from its checks: the images `lab.sh up` says it
 * published, which node's users-service served each request, a node's state as the swarm sees it,
 * a gateway's /status, and the figures it writes to test-artifacts/lab/lab.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { get, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import {
  gatewayUrl,
  LabNode,
  logLinesOnNode,
  nodeHostname,
  NODES,
  onNode,
  REGISTRY_HOST,
} from './lab';
import { servedUsersRequest } from './swarm';

/** The `publicado <registry>/desafios/<app>:<tag> <digest> <platforms>` lines of release.mjs, by app. */
export function publishedImages(
  output: string,
): Map<string, { tag: string; digest: string; platforms: string }> {
  const line = new RegExp(
    `^publicado ${REGISTRY_HOST.replaceAll('.', '\\.')}/desafios/([a-z-]+):(\\S+) (sha256:[0-9a-f]{64}) (\\S+)$`,
    'gm',
  );
  return new Map(
    [...output.matchAll(line)].map(([, app, tag, digest, platforms]) => [
      app,
      { tag, digest, platforms },
    ]),
  );
}

/**
 * How many of `count` requests whose X-Request-Id starts with `prefix` each node's users-service
 * logged as served (200 on /users), once all of them are in the logs of the three nodes.
 */
export function servedPerNode(
  service: string,
  prefix: string,
  count: number,
): Promise<Record<string, number>> {
  return waitFor(
    `the ${count} requests ${prefix}-* in the ${service} logs of the three nodes`,
    async () => {
      const counts: Record<string, number> = {};
      for (const n of NODES) {
        const entries = await logLinesOnNode(n, service);
        counts[nodeHostname(n)] = entries.filter((entry) =>
          servedUsersRequest(entry, prefix),
        ).length;
      }
      return Object.values(counts).reduce((a, b) => a + b, 0) >= count ? counts : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 1000 },
  );
}

/** Waits until the swarm reports node n in `state` (down, ready); returns the seconds since `since`. */
export function nodeState(n: LabNode, state: 'down' | 'ready', since: number): Promise<number> {
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

/** Node n's gateway /status when it answers 200, else undefined. */
export async function gatewayStatus(
  n: LabNode,
): Promise<{ visitas: { total: number } } | undefined> {
  const { status, body } = await get(`${gatewayUrl(n)}/status`, { timeoutMs: 10_000 });
  return status === 200 ? (JSON.parse(body) as { visitas: { total: number } }) : undefined;
}

/** The lab's figures, for its report (tools/lab/write-report.mjs): test-artifacts/lab/lab.json. */
export function writeLabResults(measured: Record<string, unknown>): void {
  const dir = join(WORKSPACE_ROOT, 'test-artifacts/lab');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lab.json'), `${JSON.stringify(measured, null, 2)}\n`);
  process.stdout.write(`\n[lab] ${JSON.stringify(measured)}\n`);
}

/**
 * The one lab the suite stands up (lab/lab.e2e.ts), handed to the checks of each part: what
 * `lab.sh up` printed, and the figures measured so far (written to test-artifacts/lab/lab.json).
 */
export interface Lab {
  upOutput(): string;
  measured: Record<string, unknown>;
}
