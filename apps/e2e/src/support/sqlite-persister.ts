/**
 * Desafio 2's job as real processes on real SQLite files: run it, read what it printed, read the
 * file with SQLite itself, and a temp folder per test.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, sleep, startApp, StartOptions, stopAllApps, WORKSPACE_ROOT } from '@desafios/testing';

export const SQLITE_PERSISTER = 'sqlite-persister';
export const JOB_ROW = /^#(\d+) \| (.*) \| (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/;
/** The line before the rows when the table has more than the 10 the job prints. */
export const JOB_OMITTED = /^\((\d+) registro\(s\) mais antigo\(s\) não mostrado\(s\); os (\d+) mais recentes:\)$/;

export interface JobRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string[];
  rows: { id: number; mensagem: string; criadoEm: string }[];
}

/** Waits for the job to exit and parses the rows it printed. */
export async function finish(app: AppProcess, timeoutMs = 45_000): Promise<JobRun> {
  const { code, signal } = await app.exit(timeoutMs);
  const rows = app.output
    .map((line) => JOB_ROW.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, id, mensagem, criadoEm]) => ({ id: Number(id), mensagem, criadoEm }));
  return { code, signal, output: [...app.output], rows };
}

/** One run of the built job to its end. */
export function runJob(env: Record<string, string>, options?: StartOptions): Promise<JobRun> {
  return finish(startApp(SQLITE_PERSISTER, env, options));
}

/**
 * better-sqlite3 12 aborts the process on Node >= 24.19 when the GC finalizes one of its objects
 * outside a Node environment, which happens inside Jest's sandbox; so the test's own SQLite work
 * runs in short plain `node` processes (same driver, same files), never in the Jest process.
 */
export function sqliteScript(path: string, body: string): string[] {
  return ['-e', `const db = new (require('better-sqlite3'))(process.argv[1]);\n${body}`, path];
}

/**
 * The rows as SQLite itself sees them (a separate connection, closed before returning). A file the
 * job created but whose migration never committed (killed in between) has no `registros` yet: no rows.
 */
export function readDatabase(path: string): {
  integrity: string;
  rows: { id: number; mensagem: string }[];
} {
  const output = execFileSync(
    process.execPath,
    sqliteScript(
      path,
      `const integrity = db.pragma('integrity_check', { simple: true });
       const migrated = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'registros'").get();
       const rows = migrated ? db.prepare('SELECT id, mensagem FROM registros ORDER BY id').all() : [];
       db.close();
       process.stdout.write(JSON.stringify({ integrity, rows }));`,
    ),
    { cwd: WORKSPACE_ROOT, encoding: 'utf8', timeout: 30_000 },
  );
  return JSON.parse(output);
}

/** Every file in a folder with its bytes: "unchanged" means equal snapshots (no -wal/-shm added). */
export function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name)).toString('base64')]),
  );
}

/**
 * A new temp folder for each test of the calling `describe`; afterwards every process the helpers
 * started is killed and the folder removed (made writable first: some tests lock it down).
 */
export function tempDirPerTest(prefix: string): () => string {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await stopAllApps();
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o700);
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/**
 * Whether `pid` holds SQLite's WAL write lock on `dbPath`: an exclusive POSIX lock on byte 120 of
 * the -shm file (WAL_WRITE_LOCK), which a connection takes at the start of a write transaction
 * (BEGIN IMMEDIATE, or its first write) and releases once the commit is on disk. Read from
 * /proc/locks (Linux): "<n>: POSIX ADVISORY WRITE <pid> <maj:min:inode> <start> <end>"; a waiter's
 * line has "->" after the number and holds nothing.
 */
export function holdsWriteLock(pid: number, dbPath: string): boolean {
  let inode: number;
  try {
    inode = statSync(`${dbPath}-shm`).ino;
  } catch {
    return false; // no -shm yet: the file is not open in WAL mode
  }
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .some(([, kind, , mode, owner, file, start, end]) =>
      kind === 'POSIX' && mode === 'WRITE' && Number(owner) === pid && Number(file?.split(':')[2]) === inode && Number(start) <= 120 && (end === 'EOF' || Number(end) >= 120));
}

/**
 * Polls (every turn of the event loop) until `app` holds the write lock for the `nth` time seen
 * (a held, released, held again sequence for 2); false if it exits first.
 */
export async function untilHoldingWriteLock(app: AppProcess, dbPath: string, nth = 1, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  let holding = false;
  while (app.running && Date.now() < deadline) {
    const now = holdsWriteLock(app.pid as number, dbPath);
    if (now && !holding && ++seen === nth) return true;
    holding = now;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}

/**
 * SIGKILL, with what the process was doing at that instant: it is stopped first (SIGSTOP, until
 * the kernel reports it stopped), the write lock is read, then it is killed where it stands.
 * Returns whether it held the write lock when the kill landed, i.e. died inside a write transaction.
 */
export async function killObserved(app: AppProcess, dbPath: string): Promise<boolean> {
  const pid = app.pid as number;
  process.kill(pid, 'SIGSTOP');
  const stopped = () => /^\d+ \(.*\) [tT]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  for (let i = 0; i < 200 && app.running && !stopped(); i++) await sleep(1);
  const held = app.running && holdsWriteLock(pid, dbPath);
  app.kill('SIGKILL');
  return held;
}
