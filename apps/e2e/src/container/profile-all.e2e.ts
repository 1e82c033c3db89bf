/**
 * Every profile at once, as the README says to start it: `up -d --wait` on the services that keep
 * running (the desafio 2 job is not one: `--wait` counts its normal exit as a failure when the job has
 * already exited as it checks, a race on the machine's speed), then the job with `run --rm`. The commands are read from the README, so the page and the test cannot drift.
 * Needs the images (npx nx run-many -t docker-build); Compose would build a missing one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeProject, docker, freePort, WORKSPACE_ROOT } from '@desafios/testing';

interface ServiceConfig {
  restart?: string;
  depends_on?: Record<string, unknown>;
}

/** The arguments after `docker compose` of the README line that starts with `docker compose <prefix>`. */
function documented(prefix: string): string[] {
  const readme = readFileSync(join(WORKSPACE_ROOT, 'README.md'), 'utf8');
  const line = readme.split('\n').find((text) => text.startsWith(`docker compose ${prefix}`));
  if (!line) throw new Error(`README.md has no line "docker compose ${prefix}…"`);
  return line.split(/\s+/).slice(2);
}

const UP = documented('--profile all up -d --wait ');
const JOB = documented('--profile all run --rm ');

describe('profile all: the README\'s two commands start every desafio and wait, without failing on the desafio 2 job', () => {
  let project: ComposeProject;
  let services: Record<string, ServiceConfig>;

  beforeAll(async () => {
    const ports = ['GREETING_PORT', 'WEB_PORT', 'USERS_SERVICE_PORT', 'USERS_CONSUMER_PORT'];
    const env: Record<string, string> = { COMPOSE_PROFILES: '' };
    for (const name of ports) env[name] = String(await freePort());
    project = new ComposeProject('desafios-e2e-all', env);
    services = JSON.parse((await project.run(['--profile', 'all', 'config', '--format', 'json'])).stdout).services;
  });

  afterAll(async () => {
    await project?.run(['--profile', 'all', 'down', '-v', '--remove-orphans'], 120_000);
  }, 150_000);

  it('the services named are every long-running one (their dependencies included), and no job', () => {
    const named = UP.slice(UP.indexOf('--wait') + 1);
    const jobs = Object.keys(services).filter((name) => services[name].restart === 'no');
    expect(jobs).toEqual(['sqlite-persister']);
    expect(named.filter((name) => jobs.includes(name))).toEqual([]);
    const started = new Set<string>();
    const start = (name: string): void => {
      if (started.has(name)) return;
      started.add(name);
      Object.keys(services[name]?.depends_on ?? {}).forEach(start);
    };
    named.forEach(start);
    expect([...started].sort()).toEqual(Object.keys(services).filter((name) => !jobs.includes(name)).sort());
    expect(JOB.at(-1)).toBe('sqlite-persister');
  });

  it('up --wait returns 0 with every service running (healthy where it has a healthcheck); the job then runs and exits 0', async () => {
    await project.run(UP, 360_000);
    const ids = await project.containerIds();
    const states = (await docker(['inspect', '--format', '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}-{{end}}', ...ids])).split('\n').sort();
    const longRunning = Object.keys(services).filter((name) => services[name].restart !== 'no').sort();
    // Running, and healthy where the image or the compose file has a healthcheck ("-": none).
    expect(states).toEqual(longRunning.map((name) => expect.stringMatching(new RegExp(`^${name} running (healthy|-)$`))));

    // A fresh volume: the job writes the first row and lists it.
    const { stdout } = await project.run(JOB, 120_000);
    expect(stdout).toMatch(/^1 registro\(s\)$/m);
  }, 540_000);
});
