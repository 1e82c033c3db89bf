import { runCommand } from './run';
import { WORKSPACE_ROOT } from './workspace';

/** The docker CLI; `engine` (a DOCKER_HOST such as tcp://127.0.0.1:12375) picks another engine than the local one. */
export async function docker(args: string[], timeoutMs = 60_000, engine?: string): Promise<string> {
  const full = engine ? ['-H', engine, ...args] : args;
  const { stdout } = await runCommand('docker', full, { timeoutMs }, `docker ${full.join(' ')}`);
  return stdout.trim();
}

/** `docker inspect -f <format> <id>`. */
export async function inspect(id: string, format: string, engine?: string): Promise<string> {
  return docker(['inspect', '-f', format, id], 60_000, engine);
}

/**
 * `docker compose` against the repository's compose file, under a project name of the test's own so
 * that tests never touch a stack a person started by hand (their names get this prefix).
 */
export class ComposeProject {
  constructor(
    readonly name: string,
    private readonly env: Record<string, string> = {},
    /** Another checkout (cwd) or other compose files than the default docker-compose.yml. */
    private readonly where: { cwd?: string; files?: string[] } = {},
  ) {}

  /** `docker compose -p <name> [-f file…]`: the arguments every call starts with. */
  get baseArgs(): string[] {
    return ['compose', '-p', this.name, ...(this.where.files ?? []).flatMap((file) => ['-f', file])];
  }

  get cwd(): string {
    return this.where.cwd ?? WORKSPACE_ROOT;
  }

  get environment(): NodeJS.ProcessEnv {
    return { ...process.env, ...this.env };
  }

  run(args: string[], timeoutMs = 180_000): Promise<{ stdout: string; stderr: string }> {
    const options = { cwd: this.cwd, env: this.env, timeoutMs };
    return runCommand('docker', [...this.baseArgs, ...args], options, `docker compose ${args.join(' ')}`);
  }

  logs(service: string): Promise<string> {
    return this.run(['logs', '--no-color', '--no-log-prefix', service]).then(({ stdout }) => stdout);
  }

  /** Container ids of a service (running or not). */
  async containerIds(service?: string): Promise<string[]> {
    const { stdout } = await this.run(['ps', '-a', '-q', ...(service ? [service] : [])]);
    return stdout.split('\n').filter(Boolean);
  }
}
