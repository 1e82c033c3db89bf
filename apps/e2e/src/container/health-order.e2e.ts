/**
 * Health-ordered start, for every `depends_on` of every profile: the dependent container is created
 * but not started while its dependency's healthcheck has not passed, and is started once it has.
 *
 * The dependency is held in "starting" by an override file (written here) whose healthcheck passes
 * only once a marker file exists, on a long start_period; the test releases it with `docker exec`.
 * The dependent's other dependencies keep their own healthchecks and are waited healthy first, so
 * the held one is the only thing that can be keeping the dependent from starting.
 * Edges are read from `docker compose config` (all profiles): a new one is covered on its own.
 * Needs the images: npx nx run-many -t docker-build
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeProject, docker, freePort, sleep, waitFor, WORKSPACE_ROOT } from '@desafios/testing';

const COMPOSE_FILE = 'docker-compose.yml';
const MARKER = '/tmp/health-order-released';
/** How long the dependent is watched not starting while its dependency is held. */
const HOLD_MS = 6000;
/** The edges the README promises (desafio 1, 3 and 4): the file may add edges, not lose these. */
const PROMISED = ['curl-client → greeting-server', 'web-gateway → db', 'web-gateway → cache', 'users-consumer → users-service'];

interface Edge {
  dependent: string;
  dependency: string;
  condition: string;
}

interface ContainerState {
  Status: string;
  StartedAt: string;
  Health?: { Status: string };
}

const label = (edge: Edge) => `${edge.dependent} → ${edge.dependency}`;

/** Every depends_on of every profile (`*`), read when the file loads so each round is a test of its own. */
function composeEdges(): Edge[] {
  const config = JSON.parse(
    execFileSync('docker', ['compose', '-f', COMPOSE_FILE, 'config', '--format', 'json'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, COMPOSE_PROFILES: '*' },
      encoding: 'utf8',
    }),
  ) as { services: Record<string, { depends_on?: Record<string, { condition: string }> }> };
  return Object.entries(config.services).flatMap(([dependent, service]) =>
    Object.entries(service.depends_on ?? {}).map(([dependency, { condition }]) => ({ dependent, dependency, condition })),
  );
}

const EDGES = composeEdges();

/**
 * A round holds some dependencies at once. It is valid when each dependent appears once, no held
 * service is a dependent, and no other dependency of a dependent (or of a held service) is held.
 */
function validRound(round: Edge[]): boolean {
  const held = new Set(round.map((edge) => edge.dependency));
  return round.every(
    (edge) =>
      round.filter((other) => other.dependent === edge.dependent).length === 1 &&
      !held.has(edge.dependent) &&
      EDGES.filter((other) => other.dependent === edge.dependent || other.dependent === edge.dependency).every(
        (other) => other === edge || !held.has(other.dependency),
      ),
  );
}

/** Greedy grouping: fewer `up`/`down` cycles on a 2-core machine. */
function rounds(edges: Edge[]): Edge[][] {
  const grouped: Edge[][] = [];
  for (const edge of edges) {
    const round = grouped.find((candidate) => validRound([...candidate, edge]));
    if (round) round.push(edge);
    else grouped.push([edge]);
  }
  return grouped;
}

/** The override: each held service's healthcheck passes only once MARKER exists (its /tmp is a tmpfs). */
function holdOverride(held: string[]): string {
  const check = [`test: ["CMD-SHELL", "test -f ${MARKER}"]`, 'interval: 1s', 'timeout: 3s', 'start_period: 600s', 'start_interval: 1s', 'retries: 3'];
  const services = held.flatMap((service) => [`  ${service}:`, '    healthcheck:', ...check.map((line) => `      ${line}`)]);
  return `services:\n${services.join('\n')}\n`;
}

/** A free host port for every published port variable of the compose file (`${X_PORT:-n}:n`). */
async function portEnv(): Promise<Record<string, string>> {
  const text = readFileSync(join(WORKSPACE_ROOT, COMPOSE_FILE), 'utf8');
  const names = [...new Set([...text.matchAll(/\$\{([A-Z_]+):-\d+\}:\d+/g)].map(([, name]) => name))];
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, String(await freePort())])));
}

async function state(id: string): Promise<ContainerState> {
  return JSON.parse(await docker(['inspect', '-f', '{{json .State}}', id])) as ContainerState;
}

const health = (current: ContainerState) => current.Health?.Status ?? current.Status;
const neverStarted = (current: ContainerState) => current.StartedAt.startsWith('0001-01-01');

describe('health-ordered start (docker compose, every depends_on of every profile)', () => {
  const exercised: string[] = [];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'health-order-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the compose file has depends_on edges, the promised ones among them, each waiting for service_healthy', () => {
    const labels = EDGES.map(label);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels).toEqual(expect.arrayContaining(PROMISED));
    expect(EDGES.filter((edge) => edge.condition !== 'service_healthy').map((edge) => `${label(edge)}: ${edge.condition}`)).toEqual([]);
  });

  describe.each(rounds(EDGES).map((round, index) => [round.map(label).join(', '), round, index] as const))('%s', (_, round, index) => {
    let project: ComposeProject;
    const held = [...new Set(round.map((edge) => edge.dependency))];
    const dependents = round.map((edge) => edge.dependent);
    const ids = new Map<string, string>();
    const id = async (service: string) => {
      const found = ids.get(service) ?? (await waitFor(`the ${service} container`, async () => (await project.containerIds(service))[0], { timeoutMs: 60_000, intervalMs: 250 }));
      ids.set(service, found);
      return found;
    };

    beforeAll(async () => {
      const override = join(dir, `hold-${index}.yaml`);
      writeFileSync(override, holdOverride(held));
      project = new ComposeProject(`desafios-e2e-health-${index}`, { ...(await portEnv()), COMPOSE_PROFILES: '*' }, { files: [COMPOSE_FILE, override] });
      await project.run(['down', '-v', '--remove-orphans']);
    });

    afterAll(async () => {
      await project?.run(['down', '-v', '--remove-orphans']);
    });

    it('each dependent stays created (never started, no log) while its dependency is held; started only after its release', async () => {
      // In the background: `up` itself waits for the held services and only returns after the release.
      const upDone = project.run(['up', '-d', '--no-build', ...dependents], 300_000).then(
        () => 'ok',
        (error: Error) => error.message,
      );
      try {
        for (const service of held) {
          await waitFor(`${service} running, its health held at "starting"`, async () => {
            const current = await state(await id(service));
            return current.Status === 'running' && health(current) === 'starting' ? true : undefined;
          }, { timeoutMs: 60_000, intervalMs: 250 });
        }
        const others = EDGES.filter((edge) => dependents.includes(edge.dependent) && !held.includes(edge.dependency));
        for (const { dependency } of others) {
          await waitFor(`${dependency} healthy`, async () => (health(await state(await id(dependency))) === 'healthy' ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 250,
          });
        }

        // The hold: sampled for HOLD_MS, every dependent created but never started, every held service still "starting".
        const watchedUntil = Date.now() + HOLD_MS;
        while (Date.now() < watchedUntil) {
          for (const edge of round) {
            const dependent = await state(await id(edge.dependent));
            const dependency = await state(await id(edge.dependency));
            expect({ edge: label(edge), dependency: health(dependency), dependent: dependent.Status, neverStarted: neverStarted(dependent) }).toEqual({
              edge: label(edge),
              dependency: 'starting',
              dependent: 'created',
              neverStarted: true,
            });
          }
          await sleep(250);
        }
        for (const service of dependents) expect({ service, log: await project.logs(service) }).toEqual({ service, log: '' });

        const releasedAt = Date.now();
        for (const service of held) await docker(['exec', await id(service), 'touch', MARKER]);
        // `up` returns once it has started every dependent; whether each then gets healthy is the
        // desafio suites' concern (and slow on a loaded machine), not the order's.
        expect(await upDone).toBe('ok');
        for (const edge of round) {
          const dependent = await state(await id(edge.dependent));
          expect({ edge: label(edge), neverStarted: neverStarted(dependent) }).toEqual({ edge: label(edge), neverStarted: false });
          expect(Date.parse(dependent.StartedAt)).toBeGreaterThanOrEqual(releasedAt);
          exercised.push(label(edge));
        }
      } finally {
        // Whatever happened, `up` must not outlive the test: down ends its wait.
        await project.run(['down', '-v', '--remove-orphans']);
        await upDone;
      }
    }, 300_000);
  });

  it('every depends_on edge of the compose file was exercised above', () => {
    expect([...exercised].sort()).toEqual(EDGES.map(label).sort());
  });
});
