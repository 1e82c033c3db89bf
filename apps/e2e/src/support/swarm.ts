import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  docker,
  failedRequests,
  LoadOptions,
  LoadOutcome,
  runCommand,
  WORKSPACE_ROOT,
} from '@desafios/testing';

/** deploy/swarm/swarm.sh, the same script the Nx targets of project `swarm` run. */
export async function swarmSh(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 240_000,
): Promise<string> {
  const options = { cwd: WORKSPACE_ROOT, env, timeoutMs };
  return (
    await runCommand(
      'bash',
      ['deploy/swarm/swarm.sh', ...args],
      options,
      `swarm.sh ${args.join(' ')}`,
    )
  ).stdout;
}

export async function swarmState(): Promise<string> {
  return docker(['info', '--format', '{{.Swarm.LocalNodeState}}']);
}

/**
 * Creates a single-node swarm for a suite that leaves it afterwards (`swarm.sh leave`). Fails at
 * once, touching nothing, if the engine is already in a swarm: a suite must never take over (and
 * then destroy) a swarm someone else runs.
 */
export async function initOwnSwarm(env: Record<string, string>): Promise<void> {
  const state = await swarmState();
  if (state !== 'inactive') {
    throw new Error(
      `this Docker Engine is already in a swarm (state: ${state}); the swarm suite only runs on an engine outside swarm mode and left it untouched`,
    );
  }
  await swarmSh(['init'], env, 60_000);
}

type PortBindings = Record<string, { HostIp: string; HostPort: string }[] | null>;

/**
 * The host ports published on IPv4, the family the tests dial (127.0.0.1). On a dual-stack host
 * Docker publishes a random port once per address family, and the two numbers usually differ.
 */
function ipv4HostPorts(ports: PortBindings | null): number[] {
  const bindings = Object.values(ports ?? {}).flatMap((list) => list ?? []);
  return [
    ...new Set(
      bindings
        .filter(({ HostIp }) => !HostIp.includes(':'))
        .map(({ HostPort }) => Number(HostPort)),
    ),
  ];
}

/** Ids of a swarm service's containers on one engine (the local one by default): running, or `all`. */
async function serviceContainerIds(
  service: string,
  engine?: string,
  all = false,
): Promise<string[]> {
  const filter = ['--filter', `label=com.docker.swarm.service.name=${service}`];
  return (await docker(['ps', all ? '-aq' : '-q', '--no-trunc', ...filter], 60_000, engine))
    .split('\n')
    .filter(Boolean);
}

/** Running containers of a swarm service on this node: id, host name and IPv4 host ports. */
export async function serviceContainers(
  service: string,
): Promise<{ id: string; hostname: string; ports: number[] }[]> {
  const ids = await serviceContainerIds(service);
  if (ids.length === 0) return [];
  const lines = (
    await docker([
      'inspect',
      '--format',
      '{{.Id}} {{.Config.Hostname}} {{json .NetworkSettings.Ports}}',
      ...ids,
    ])
  ).split('\n');
  return lines.map((line) => {
    const [id, hostname, ...json] = line.split(' ');
    return { id, hostname, ports: ipv4HostPorts(JSON.parse(json.join(' ')) as PortBindings) };
  });
}

/** Tasks the swarm wants running (`docker service ps` on a manager, the local engine by default). */
export async function runningTasks(
  service: string,
  engine?: string,
): Promise<{ id: string; node: string; state: string; image: string }[]> {
  const format = '{{.ID}}\t{{.Node}}\t{{.CurrentState}}\t{{.Image}}';
  const out = await docker(
    [
      'service',
      'ps',
      '--no-trunc',
      '--filter',
      'desired-state=running',
      '--format',
      format,
      service,
    ],
    60_000,
    engine,
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, node, state, image] = line.split('\t');
      return { id, node, state, image };
    });
}

/**
 * The JSON log lines of a swarm service's containers on one engine (running ones, or `all`), each
 * with the container it came from. Read with `docker logs` per container rather than `docker service
 * logs`, which streams through the swarm and once failed for 30 s in a row in a clean-clone CI run.
 */
export async function serviceLogLines(
  service: string,
  { engine, all = false }: { engine?: string; all?: boolean } = {},
): Promise<{ task: string; entry: Record<string, unknown> }[]> {
  const lines: { task: string; entry: Record<string, unknown> }[] = [];
  for (const id of await serviceContainerIds(service, engine, all)) {
    for (const line of (await docker(['logs', id], 60_000, engine)).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push({ task: id, entry: JSON.parse(line) as Record<string, unknown> });
      } catch {
        // not a JSON log line
      }
    }
  }
  return lines;
}

/** An image that differs from `image` only by a label: a "new version" to roll out, built offline. */
export async function relabel(image: string, tag: string, label: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'relabel-'));
  try {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${image}\nLABEL desafios.rollout="${label}"\n`);
    await docker(['build', '-q', '-t', tag, dir], 120_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Any status but 200 fails, and so does no answer within 15 s; each request is recorded with its id. */
export const RECORDED_LOAD: Omit<LoadOptions, 'connections' | 'durationMs'> = {
  maxRequests: 50_000,
  timeoutMs: 15_000,
  pauseMs: 10,
  record: true,
};

/** Every request of a recorded load answered 200 (the first five failures shown when not). */
export function expectNoFailedRequest(result: LoadOutcome): void {
  const failures = failedRequests(result);
  expect({ failed: failures.length, first: failures.slice(0, 5) }).toEqual({
    failed: 0,
    first: [],
  });
}

/** A users-service log entry of a /users request it served (200) whose X-Request-Id starts with `prefix-`. */
export function servedUsersRequest(entry: Record<string, unknown>, prefix: string): boolean {
  const message = entry.message as
    { url?: string; status?: number; requestId?: string } | undefined;
  return (
    message?.url === '/users' &&
    message.status === 200 &&
    message.requestId?.startsWith(`${prefix}-`) === true
  );
}

/** The parts of a service's spec (`docker service inspect`) that the suites check. */
export interface ServiceSpec {
  Mode: { Replicated?: { Replicas: number }; Global?: object };
  EndpointSpec: {
    Mode: string;
    Ports?: { TargetPort: number; PublishedPort: number; PublishMode: string }[];
  };
  UpdateConfig: { Parallelism: number; Order: string; FailureAction: string };
  TaskTemplate: {
    RestartPolicy: { Condition: string };
    Resources: { Limits: { MemoryBytes: number } };
  };
}

export async function serviceSpec(service: string, engine?: string): Promise<ServiceSpec> {
  return JSON.parse(
    await docker(['service', 'inspect', '--format', '{{json .Spec}}', service], 30_000, engine),
  ) as ServiceSpec;
}

/** The host addresses a container's published ports listen on (0.0.0.0: every interface). */
export async function hostAddresses(container: string): Promise<string[]> {
  const ports = JSON.parse(
    await docker(['inspect', '--format', '{{json .NetworkSettings.Ports}}', container]),
  ) as Record<string, { HostIp: string }[] | null>;
  return Object.values(ports).flatMap((list) => (list ?? []).map(({ HostIp }) => HostIp));
}
