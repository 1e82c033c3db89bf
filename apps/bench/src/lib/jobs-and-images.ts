/** sqlite-persister runs, image sizes and the compose cold start. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeProject, docker, freePort, runCommand, startApp, WORKSPACE_ROOT } from '@desafios/testing';
import { record } from './report';
import { median, round } from './stats';

export async function sqlitePersister(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
  const dbPath = join(dir, 'meubanco.db');
  const once = async () => {
    const started = performance.now();
    const app = startApp('sqlite-persister', { DB_PATH: dbPath, MESSAGE: 'bench' }, { discardStdout: true });
    const { code } = await app.exit(30_000);
    if (code !== 0) throw new Error(`sqlite-persister: exit ${code}: ${app.output.join('\n')}`);
    return performance.now() - started;
  };
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) times.push(await once());
  const single = round(median(times), 0);
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, once));
  const concurrentMs = round(performance.now() - started, 0);
  const { stdout } = await runCommand(
    process.execPath,
    ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(dbPath)},{readonly:true});process.stdout.write(String(d.prepare('select count(*) n from registros').get().n))`],
    { cwd: WORKSPACE_ROOT },
  );
  // Written as a string: under Nx, FORCE_COLOR makes console.log color a number.
  const counted = /^(\d+)$/.exec(stdout.trim());
  if (!counted) throw new Error(`sqlite-persister: contagem ilegível: ${JSON.stringify(stdout.slice(-500))}`);
  const rows = Number(counted[1]) - 5;
  record('sqlite-persister', 'spawn → exit, mediana de 5', `${single} ms`, '≤ 1 s', single <= 1000);
  record('sqlite-persister', '10 execuções simultâneas', `${rows} linhas novas em ${concurrentMs} ms`, '10 linhas', rows === 10);

  // How a run grows with the table: the same file refilled to each size, median of 3 runs each.
  const sizes = [0, 10_000, 1_000_000];
  const bySize: number[] = [];
  for (const size of sizes) {
    await fillRegistros(dbPath, size);
    const runs: number[] = [];
    for (let i = 0; i < 3; i += 1) runs.push(await once());
    bySize.push(round(median(runs), 0));
  }
  rmSync(dir, { recursive: true, force: true });
  const [empty, , million] = bySize;
  record('sqlite-persister', `spawn → exit com ${sizes.map((n) => n.toLocaleString('pt-BR')).join(' / ')} linhas já em registros, mediana de 3`,
    `${bySize.join(' / ')} ms`, 'não crescer com a tabela (1 milhão ≤ 1,5× vazia)', million <= empty * 1.5, { sizes, ms: bySize });
}

/** Leaves exactly `size` rows in registros (the table the persister's migration created). */
async function fillRegistros(dbPath: string, size: number): Promise<void> {
  const script = `const D=require('better-sqlite3');const d=new D(${JSON.stringify(dbPath)});
d.exec('DELETE FROM registros');const s=d.prepare("INSERT INTO registros (mensagem, criado_em) VALUES ('bench', '2026-01-31 12:00:00.000')");
d.transaction((n)=>{for(let i=0;i<n;i++)s.run()})(${size});d.pragma('wal_checkpoint(TRUNCATE)');d.close();`;
  await runCommand(process.execPath, ['-e', script], { cwd: WORKSPACE_ROOT, timeoutMs: 120_000 });
}

export async function images(): Promise<void> {
  const base = Number(await docker(['image', 'inspect', '--format', '{{.Size}}', 'node:24-bookworm-slim']));
  for (const name of ['greeting-server', 'curl-client', 'sqlite-persister', 'web-gateway', 'users-service', 'users-consumer']) {
    const size = Number(await docker(['image', 'inspect', '--format', '{{.Size}}', `desafios/${name}:latest`]));
    const own = round((size - base) / 1e6);
    record(`imagem ${name}`, 'camadas próprias sobre node:24-bookworm-slim', `${own} MB`, '≤ 40 MB', own <= 40);
  }
}

export async function composeColdStart(): Promise<void> {
  const project = new ComposeProject('desafios-bench', { WEB_PORT: String(await freePort()) });
  await project.run(['--profile', 'desafio3', 'down', '-v', '--remove-orphans']);
  const started = performance.now();
  await project.run(['--profile', 'desafio3', 'up', '-d', '--wait', '--no-build']);
  const seconds = round((performance.now() - started) / 1000);
  await project.run(['--profile', 'desafio3', 'down', '-v', '--remove-orphans']);
  record('compose desafio3', '`up --wait` a frio, imagens prontas', `${seconds} s`, '≤ 20 s', seconds <= 20);
}
