import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { get, waitFor } from './wait';

export const WORKSPACE_ROOT = join(__dirname, '../../../..');

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
}

const running = new Set<AppProcess>();

export function startApp(name: string, env: Record<string, string> = {}): AppProcess {
  const main = join(WORKSPACE_ROOT, 'dist/apps', name, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} not found: build first (npx nx build ${name})`);
  const child = spawn(process.execPath, [main], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const app = new AppProcess(child);
  running.add(app);
  return app;
}

/** Starts an HTTP app and waits until /health/live answers 200. */
export async function startHttpApp(name: string, env: Record<string, string> & { PORT: string }): Promise<AppProcess> {
  const app = startApp(name, { HOST: '127.0.0.1', ...env });
  await waitFor(`${name} /health/live`, async () => {
    if (!app.running) throw new Error(`${name} exited early:\n${app.output.join('\n')}`);
    const { status } = await get(`http://127.0.0.1:${env.PORT}/health/live`, { timeoutMs: 1000 });
    return status === 200 ? true : undefined;
  });
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
