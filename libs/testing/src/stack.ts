import { ComposeProject, inspect } from './compose';
import { waitFor } from './wait';

/**
 * `docker compose up -d`, then waits for every container with a healthcheck to be healthy. Unlike
 * `up --wait`, a slow boot on a busy machine (a check or two failing before the app is up) is not
 * fatal: Docker flips "unhealthy" back to "healthy" at the next passing check.
 */
export async function upHealthy(project: { run(args: string[]): Promise<unknown>; containerIds(service?: string): Promise<string[]> }, timeoutMs = 180_000): Promise<void> {
  await project.run(['up', '-d', '--no-build']);
  for (const id of await project.containerIds()) {
    await waitFor(
      `${id} healthy`,
      async () => (['healthy', 'none'].includes(await inspect(id, '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}')) ? true : undefined),
      { timeoutMs, intervalMs: 250 },
    );
  }
}

type Hook = (fn: () => Promise<void>) => void;

/**
 * A compose project for the calling `describe`: before its tests, anything left from an earlier run
 * is removed and the stack started and waited healthy; afterwards it is removed with its volumes.
 * `env` runs in that beforeAll (pick free ports there).
 */
export function stackPerSuite(name: string, env: () => Promise<Record<string, string>>): { readonly project: ComposeProject; id(service: string): Promise<string> } {
  let project: ComposeProject | undefined;
  const started = () => {
    if (!project) throw new Error(`${name}: stack not started`);
    return project;
  };
  // Jest's hooks, read when called: the bench also loads this lib, outside Jest.
  const { beforeAll, afterAll } = globalThis as unknown as { beforeAll: Hook; afterAll: Hook };
  beforeAll(async () => {
    project = new ComposeProject(name, await env());
    await project.run(['down', '-v', '--remove-orphans']);
    await upHealthy(project);
  });
  afterAll(async () => {
    await project?.run(['down', '-v', '--remove-orphans']);
  });
  return {
    get project() {
      return started();
    },
    id: async (service) => (await started().containerIds(service))[0],
  };
}
