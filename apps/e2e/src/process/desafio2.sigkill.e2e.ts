import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess, sleep, startApp, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import { finish, killObserved, readDatabase, runJob, sqliteScript, SQLITE_PERSISTER, tempDirPerTest, untilHoldingWriteLock } from '../support/sqlite-persister';

/**
 * Desafio 2's job SIGKILLed mid-run, as a real process on a real SQLite file: whatever it had
 * committed stays, nothing half-written appears, and the file passes SQLite's integrity check.
 */
describe('desafio 2: sqlite-persister SIGKILLed during a run', () => {
  const tempDir = tempDirPerTest('desafio2-kill-');

  /** Resolves once the process holds the database file open (Linux /proc), i.e. it is mid-run. */
  function waitUntilOpened(app: AppProcess, path: string): Promise<true> {
    return waitFor(`pid ${app.pid} to open ${path}`, () => {
      if (!app.running) throw new Error(`exited early:\n${app.output.join('\n')}`);
      const fds = readdirSync(`/proc/${app.pid}/fd`);
      return fds.some((fd) => safeReadlink(`/proc/${app.pid}/fd/${fd}`) === path) ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 20 });
  }

  it('killed while waiting for the write lock: nothing committed is lost, nothing half-written appears', async () => {
    const path = join(tempDir(), 'meubanco.db');
    for (const message of ['um', 'dois']) expect((await runJob({ DB_PATH: path, MESSAGE: message })).code).toBe(0);

    // Another process holds the write lock with an uncommitted row, so the job blocks inside SQLite.
    const holder = spawn(
      process.execPath,
      sqliteScript(
        path,
        `db.exec('BEGIN IMMEDIATE');
         db.prepare("INSERT INTO registros (mensagem, criado_em) VALUES ('do outro', '2026-01-01 00:00:00.000')").run();
         console.log('travado');
         process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); });`,
      ),
      { cwd: WORKSPACE_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const holderExit = new Promise((resolve) => holder.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout?.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    const victim = startApp(SQLITE_PERSISTER, { DB_PATH: path, MESSAGE: 'morto' });
    await waitUntilOpened(victim, path);
    await sleep(300);
    victim.kill('SIGKILL');
    expect(await victim.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    holder.stdin?.end('commit\n');
    expect(await holderExit).toBe(0);

    const after = await runJob({ DB_PATH: path, MESSAGE: 'depois' });
    expect(after.code).toBe(0);
    expect(after.rows.map((row) => row.mensagem)).toEqual(['um', 'dois', 'do outro', 'depois']);
    expect(readDatabase(path).integrity).toBe('ok');
  });

  it('killed inside a write transaction (holding the write lock, seen with the process stopped): nothing committed lost, nothing half-written', async () => {
    const path = join(tempDir(), 'meubanco.db');
    for (const message of ['um', 'dois']) expect((await runJob({ DB_PATH: path, MESSAGE: message })).code).toBe(0);
    const committed = ['um', 'dois'];
    const killed: { message: string; midWrite: boolean }[] = [];
    // Each run takes the write lock twice (the migration check, then the insert) for a few ms: aim
    // at it, a new run each time, until a kill lands inside one (bounded: 10 runs).
    for (let i = 0; i < 10 && !killed.some((kill) => kill.midWrite); i++) {
      const message = `vitima-${i}`;
      const victim = startApp(SQLITE_PERSISTER, { DB_PATH: path, MESSAGE: message });
      if (await untilHoldingWriteLock(victim, path, 2)) killed.push({ message, midWrite: await killObserved(victim, path) });
      const result = await finish(victim);
      if (result.code === 0) committed.push(message);
      else expect(result.signal).toBe('SIGKILL');
    }
    expect(killed.filter((kill) => kill.midWrite).length).toBe(1);
    const { integrity, rows } = readDatabase(path);
    expect(integrity).toBe('ok');
    const messages = rows.map((row) => row.mensagem);
    // Every run that reported success kept its row; a killed run's row is there whole or not at all.
    expect(committed.filter((message) => !messages.includes(message))).toEqual([]);
    expect(messages.filter((message) => !committed.includes(message) && !killed.some((kill) => kill.message === message))).toEqual([]);
    expect(new Set(messages).size).toBe(messages.length);
    const after = await runJob({ DB_PATH: path, MESSAGE: 'depois' });
    expect(after.code).toBe(0);
    expect(after.rows.at(-1)?.mensagem).toBe('depois');
  });

  it('killed at many points of a run, from a new file on: integrity ok and every committed row kept', async () => {
    const path = join(tempDir(), 'meubanco.db');
    let committed: { id: number; mensagem: string }[] = [];
    // From "still starting" to "already done": the early kills land before or during the
    // migration of the new file, the later ones around the insert and the listing.
    for (const [i, delayMs] of [150, 400, 700, 1000, 1300, 1600, 2000, 2500].entries()) {
      const victim = startApp(SQLITE_PERSISTER, { DB_PATH: path, MESSAGE: `vitima-${i}` });
      await sleep(delayMs);
      victim.kill('SIGKILL');
      const result = await finish(victim);
      if (!existsSync(path)) continue; // killed before the file was created
      const { integrity, rows } = readDatabase(path);
      expect(integrity).toBe('ok');
      expect(rows).toEqual(expect.arrayContaining(committed));
      // A run that got as far as listing had committed its row.
      if (result.rows.some((row) => row.mensagem === `vitima-${i}`)) {
        expect(rows.map((row) => row.mensagem)).toContain(`vitima-${i}`);
      }
      committed = rows;
    }
    const final = await runJob({ DB_PATH: path, MESSAGE: 'final' });
    expect(final.code).toBe(0);
    expect(final.rows.map(({ id, mensagem }) => ({ id, mensagem }))).toEqual([...committed, { id: expect.any(Number), mensagem: 'final' }]);
    expect(readDatabase(path).integrity).toBe('ok');
    expect(readdirSync(tempDir())).toEqual(['meubanco.db']);
  }, 180_000);
});

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
