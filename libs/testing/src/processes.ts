import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { get, waitFor } from './wait';
import { WORKSPACE_ROOT } from './workspace';

/** A built app (dist/apps/<name>/main.js) running as a child process, with its output captured. */
export class AppProcess {
  readonly output: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(private readonly child: ChildProcess) {
    const collect = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  lines(pattern: RegExp): string[] {
    return this.output.filter((line) => pattern.test(line));
  }

  waitForLines(pattern: RegExp, count = 1, timeoutMs = 15_000): Promise<string[]> {
    return waitFor(`${count} line(s) matching ${pattern}`, () => {
      const found = this.lines(pattern);
      return found.length >= count ? found : undefined;
    }, { timeoutMs });
  }

  /** Resolves with the exit code (or the killing signal) once the process ends. */
  async exit(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.running) return;
    this.kill('SIGTERM');
    await this.exit(graceMs).catch(async () => {
      this.kill('SIGKILL');
      await this.exit();
    });
  }
}

const running = new Set<AppProcess>();

export interface StartOptions {
  /** Flags for node before the script (e.g. the bench's heap probe). */
  nodeArgs?: string[];
  /** Discard stdout instead of capturing it: a benchmark must not pay for reading the request log. */
  discardStdout?: boolean;
  /** Run as this user and group id (needs root), from `cwd` (the workspace root by default). */
  uid?: number;
  cwd?: string;
}

/** A Node script as a child process with only PATH and `env` in its environment. */
export function startScript(script: string, env: Record<string, string> = {}, options: StartOptions = {}): AppProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    cwd: options.cwd ?? WORKSPACE_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  const app = new AppProcess(child);
  running.add(app);
  return app;
}

/** A built app: dist/apps/<name>/main.js. */
export function startApp(name: string, env: Record<string, string> = {}, options: StartOptions = {}): AppProcess {
  const main = join(WORKSPACE_ROOT, 'dist/apps', name, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} not found: build first (npx nx build ${name})`);
  return startScript(main, env, options);
}

/** Waits until `url` answers 200; if the process exits first, the timeout error carries its output. */
export async function untilServing(app: AppProcess, url: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    `200 from ${url}`,
    async () => {
      if (!app.running) throw new Error(`exited before ${url} answered:\n${app.output.join('\n')}`);
      const { status } = await get(url, { timeoutMs: 1000 });
      return status === 200 ? true : undefined;
    },
    { timeoutMs, intervalMs: 5 },
  );
}

/**
 * Spawns a built HTTP app and waits until /health/live answers 200 (libs/server's `startHttpApp` is
 * what starts it inside that process).
 */
export async function spawnApp(name: string, env: Record<string, string> & { PORT: string }): Promise<AppProcess> {
  const app = startApp(name, { HOST: '127.0.0.1', ...env });
  await untilServing(app, `http://127.0.0.1:${env.PORT}/health/live`);
  return app;
}

/** Kills every process these helpers started (call from afterEach/afterAll). */
export async function stopAllApps(): Promise<void> {
  for (const app of running) {
    app.kill('SIGKILL');
    await app.exit().catch(() => undefined);
  }
  running.clear();
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
