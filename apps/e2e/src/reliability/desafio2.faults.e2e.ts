/**
 * Desafio 2 under faults: sqlite-persister runs are SIGKILLed at spread-out moments in their own
 * containers (the compose service, hardened, on the named volume); SQLite must stay intact and every
 * row of a run that finished must still be there.
 * Needs the image: npx nx run sqlite-persister:docker-build
 */
import { ComposeProject, docker, inspect, sleep } from '@desafios/testing';
import { Results } from '../support/results';

const results = new Results('desafio2');
const SERVICE = 'sqlite-persister';
const RUNS = 8;

describe('reliability: desafio 2 (sqlite-persister)', () => {
  const project = new ComposeProject('desafios-rel-d2', { COMPOSE_PROFILES: 'desafio2' });

  /** integrity_check and every row, read by a separate process in a new container of the service. */
  async function readDatabase(): Promise<{ integrity: string; mensagens: string[] }> {
    const script = `const db = new (require('better-sqlite3'))('/data/meubanco.db', { readonly: true });
      const integrity = db.pragma('integrity_check', { simple: true });
      const mensagens = db.prepare('SELECT mensagem FROM registros ORDER BY id').all().map((r) => r.mensagem);
      db.close();
      process.stdout.write(JSON.stringify({ integrity, mensagens }));`;
    const { stdout } = await project.run(['run', '--rm', '-T', '--no-deps', '--entrypoint', 'node', SERVICE, '-e', script]);
    return JSON.parse(stdout.trim().split('\n').at(-1) as string);
  }

  beforeAll(async () => {
    await project.run(['down', '-v', '--remove-orphans']);
  });

  afterAll(async () => {
    results.write();
    await project.run(['down', '-v', '--remove-orphans']);
  });

  it(`${RUNS} runs SIGKILLed around the moment they write: integrity ok, every committed row kept, no partial row`, async () => {
    // Two clean runs first: the file and the table exist, and the length of the second, warm one
    // (boot + write, on this machine, now) tells when the later runs write, so the kills can be
    // aimed around that moment. The first, cold run measured up to twice as long as the warm ones.
    let runMs = 0;
    for (const message of ['base', 'base-2']) {
      await docker(['rm', '-f', 'desafios-rel-d2-base']).catch(() => undefined);
      await project.run(['run', '-d', '--name', 'desafios-rel-d2-base', '-e', `MESSAGE=${message}`, SERVICE]);
      await docker(['wait', 'desafios-rel-d2-base'], 60_000);
      runMs = Date.parse(await inspect('desafios-rel-d2-base', '{{.State.FinishedAt}}')) - Date.parse(await inspect('desafios-rel-d2-base', '{{.State.StartedAt}}'));
      expect(Number(await inspect('desafios-rel-d2-base', '{{.State.ExitCode}}'))).toBe(0);
      await docker(['rm', '-f', 'desafios-rel-d2-base']);
    }
    const finished: string[] = ['base', 'base-2'];
    const killed: string[] = [];
    const delays: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const message = `rel-${run}`;
      const name = `desafios-rel-d2-kill-${run}`;
      await docker(['rm', '-f', name]).catch(() => undefined);
      await project.run(['run', '-d', '--name', name, '-e', `MESSAGE=${message}`, SERVICE]);
      // From 50 % to 110 % of a clean run: the write comes at the end of it, after the boot.
      const delayMs = Math.round(runMs * (0.5 + (0.6 * run) / (RUNS - 1)));
      delays.push(delayMs);
      await sleep(delayMs);
      // Docker refuses to kill a container that already exited: then the run ended by itself.
      const hit = await docker(['kill', '-s', 'KILL', name]).then(
        () => true,
        () => false,
      );
      await docker(['wait', name], 30_000);
      const exitCode = Number(await inspect(name, '{{.State.ExitCode}}'));
      if (exitCode === 0) finished.push(message);
      else {
        // 137 = 128 + SIGKILL, and our kill landed: it died mid-run, not of its own error.
        expect(exitCode).toBe(137);
        expect(hit).toBe(true);
        killed.push(message);
      }
      await docker(['rm', '-f', name]);
    }
    const { integrity, mensagens } = await readDatabase();
    // Loss, measured: the runs that reported success (exit 0) minus the rows found for them.
    const lost = finished.filter((message) => !mensagens.includes(message));
    const unknown = mensagens.filter((message) => ![...finished, ...killed].includes(message));
    const killedButCommitted = killed.filter((message) => mensagens.includes(message)).length;
    // The row first, then the checks: a run that lost rows shows how many beside its FALHOU.
    results.add({
      category: 'dados',
      subject: 'sqlite-persister',
      scenario: `${RUNS} execuções com SIGKILL entre ${delays[0]} e ${delays.at(-1)} ms (uma execução limpa, já aquecida: ${runMs} ms; container, volume nomeado)`,
      result: `integrity_check ${integrity}; ${finished.length - 2} terminaram e ${killed.length} morreram (${killedButCommitted} delas já tinham gravado); linhas confirmadas perdidas: ${lost.length} de ${finished.length}${unknown.length ? `; linhas estranhas: ${unknown.length}` : ''}`,
      metrics: { lost: lost.length, runs: RUNS, killed: killed.length },
    });
    expect(integrity).toBe('ok');
    // Every run that finished (exit 0) committed its row, and it is still there.
    expect(lost).toEqual([]);
    // Nothing else appears: each row is one whole message of a run (a killed run adds it whole or not at all).
    expect(unknown).toEqual([]);
    expect(new Set(mensagens).size).toBe(mensagens.length);
    // And the job still works on that file afterwards.
    await project.run(['run', '--rm', '-T', '-e', 'MESSAGE=depois', SERVICE]);
    expect((await readDatabase()).mensagens.at(-1)).toBe('depois');
    // The faults did happen: at least one run was still running when it was SIGKILLed.
    expect(killed.length).toBeGreaterThan(0);
  });
});
