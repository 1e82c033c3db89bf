/**
 * The desafios' stacks on either architecture: amd64 from docker-compose.yml alone (the host's images,
 * desafios/<app>:latest), arm64 with compose.arm64.yaml over it (desafios/<app>:arm64 and the
 * arm64v8/ bases, run under emulation on an amd64 host). Each core check brings its stack up, checks,
 * and removes it with its volumes, so both architectures run the very same steps and can be timed.
 */
import { ComposeProject, docker, freePort, upHealthy } from '@desafios/testing';
import { clientGreetings, consumerListsUsers, gatewayPage, runPersisterJob } from './core-checks';

export type Arch = 'amd64' | 'arm64';
export const ARM64_COMPOSE_FILES = ['docker-compose.yml', 'compose.arm64.yaml'];
export const APPS = ['curl-client', 'greeting-server', 'sqlite-persister', 'users-consumer', 'users-service', 'web-gateway'];
/** Emulated start-up is several times slower: generous bounds for `up` and each compose call. */
const EMULATED_TIMEOUT_MS = 600_000;

export const localImage = (app: string, arch: Arch) => `desafios/${app}:${arch === 'arm64' ? 'arm64' : 'latest'}`;

export function stack(desafio: string, arch: Arch, env: Record<string, string> = {}): ComposeProject {
  return new ComposeProject(`desafios-e2e-${arch}-${desafio}`, { COMPOSE_PROFILES: desafio, ...env }, arch === 'arm64' ? { files: ARM64_COMPOSE_FILES } : {});
}

/** The architecture of each container's image in the stack (e.g. { db: 'arm64', … }). */
export async function architectures(project: ComposeProject): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const id of await project.containerIds()) {
    const [service, image] = (await docker(['inspect', '--format', '{{index .Config.Labels "com.docker.compose.service"}} {{.Image}}', id])).split(' ');
    found[service] = await docker(['image', 'inspect', '--format', '{{.Architecture}}', image]);
  }
  return found;
}

/** Runs `check` on a fresh stack (nothing left from an earlier run), then removes the stack and its volumes. */
async function onFreshStack<T>(project: ComposeProject, check: () => Promise<T>): Promise<T> {
  await project.run(['down', '-v', '--remove-orphans'], EMULATED_TIMEOUT_MS);
  try {
    return await check();
  } finally {
    await project.run(['down', '-v', '--remove-orphans'], EMULATED_TIMEOUT_MS);
  }
}

/** Up and healthy, then the architecture of every container's image. */
async function upOn(project: ComposeProject): Promise<Record<string, string>> {
  await upHealthy(project, EMULATED_TIMEOUT_MS);
  return architectures(project);
}

/**
 * Each desafio's core check (its expectations inside); resolves with the architecture of the image of
 * every container it ran, by service.
 */
export const CORE_CHECKS: Record<string, (arch: Arch) => Promise<Record<string, string>>> = {
  /** Desafio 1: the client's greetings, fetched by service name across minha_rede. */
  async desafio1(arch) {
    const project = stack('desafio1', arch, { GREETING_PORT: String(await freePort()), INTERVAL_MS: '1000' });
    return onFreshStack(project, async () => {
      const found = await upOn(project);
      expect((await clientGreetings(project, 120_000)).length).toBeGreaterThanOrEqual(2);
      return found;
    });
  },
  /** Desafio 2: rows written by one container are read by the next (native addon better-sqlite3). */
  async desafio2(arch) {
    const project = stack('desafio2', arch);
    return onFreshStack(project, async () => {
      expect((await runPersisterJob(project, 'primeira', EMULATED_TIMEOUT_MS)).rows).toEqual([{ id: 1, mensagem: 'primeira' }]);
      await project.run(['down'], EMULATED_TIMEOUT_MS); // the volume stays
      expect((await runPersisterJob(project, 'segunda', EMULATED_TIMEOUT_MS)).rows).toEqual([
        { id: 1, mensagem: 'primeira' },
        { id: 2, mensagem: 'segunda' },
      ]);
      return { 'sqlite-persister': await docker(['image', 'inspect', '--format', '{{.Architecture}}', localImage('sqlite-persister', arch)]) };
    });
  },
  /** Desafio 3: the page with PostgreSQL's version and the value read back from Redis. */
  async desafio3(arch) {
    const port = await freePort();
    const project = stack('desafio3', arch, { WEB_PORT: String(port) });
    return onFreshStack(project, async () => {
      const found = await upOn(project);
      await gatewayPage(`http://127.0.0.1:${port}`);
      return found;
    });
  },
  /** Desafio 4: the consumer's page lists the users users-service serves. */
  async desafio4(arch) {
    const [servicePort, consumerPort] = [await freePort(), await freePort()];
    const project = stack('desafio4', arch, { USERS_SERVICE_PORT: String(servicePort), USERS_CONSUMER_PORT: String(consumerPort) });
    return onFreshStack(project, async () => {
      const found = await upOn(project);
      await consumerListsUsers(`http://127.0.0.1:${servicePort}`, `http://127.0.0.1:${consumerPort}`);
      return found;
    });
  },
};
