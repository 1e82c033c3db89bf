/**
 * The development loops as a student runs them: `docker compose watch` on a copy of the workspace
 * (the test edits its files, never the real ones) and `nx serve` on the host.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ComposeProject, WORKSPACE_ROOT } from '@desafios/testing';

/** The compose files of the dev loop, in the order they are given to `docker compose -f`. */
export const DEV_COMPOSE_FILES = ['docker-compose.yml', 'compose.dev.yaml'];

/** A copy of the workspace as git sees it (tracked files and untracked ones it does not ignore). */
export function copyWorkspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(WORKSPACE_ROOT, file), join(dir, file));
    } catch {
      // deleted in the working tree but still in the index
    }
  }
  return dir;
}

/** Replaces `from` (which must be there) by `to` in a file of `dir`. */
export function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: "${from}" not found`);
  writeFileSync(path, text.replace(from, to));
}

/** A long-running command (compose watch, nx serve) in its own process group, its output kept. */
export class Background {
  readonly output: string[] = [];
  private readonly child: ChildProcess;

  constructor(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.output.length > 2000) this.output.splice(0, this.output.length - 2000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 40): string {
    return this.output.slice(-lines).join('\n');
  }

  /** SIGINT to the whole group (as Ctrl+C would), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    process.kill(-this.child.pid, 'SIGINT');
    const timer = setTimeout(() => this.running && this.child.pid && process.kill(-this.child.pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** `docker compose … watch` of a project (compose.dev.yaml over docker-compose.yml), in the background. */
export function composeWatch(project: ComposeProject, profile: string): Background {
  return new Background('docker', [...project.baseArgs, '--profile', profile, 'watch'], { cwd: project.cwd, env: project.environment });
}
