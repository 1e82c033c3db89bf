import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './processes';

const run = promisify(execFile);

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

  async run(args: string[], timeoutMs = 180_000): Promise<{ stdout: string; stderr: string }> {
    try {
      return await run('docker', [...this.baseArgs, ...args], {
        cwd: this.cwd,
        env: this.environment,
        timeout: timeoutMs,
        maxBuffer: 32 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`docker compose ${args.join(' ')} failed:\n${stderr}\n${stdout}`.trim(), { cause: error });
    }
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

export async function docker(args: string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await run('docker', args, { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    throw new Error(`docker ${args.join(' ')} failed: ${stderr}`.trim(), { cause: error });
  }
}
