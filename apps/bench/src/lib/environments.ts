// The environment an app runs with, as deployed: what docker-compose.yml and the image set.
import { docker, WORKSPACE_ROOT } from '@desafios/testing';

let composeConfig: Promise<{ services: Record<string, { image?: string; environment?: Record<string, string> }> }> | undefined;

/** The environment docker-compose.yml gives the service that runs `image` (none for a baseline's image). */
export async function composeEnvironment(image: string): Promise<Record<string, string>> {
  composeConfig ??= docker(['compose', '--project-directory', WORKSPACE_ROOT, '--profile', 'all', 'config', '--format', 'json']).then((json) => JSON.parse(json));
  const { services } = await composeConfig;
  return Object.values(services).find((service) => service.image === image)?.environment ?? {};
}

/** The environment an image sets (its ENV lines). */
export async function imageEnvironment(image: string): Promise<Record<string, string>> {
  const env = JSON.parse(await docker(['image', 'inspect', '-f', '{{json .Config.Env}}', image])) as string[];
  return Object.fromEntries(env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
