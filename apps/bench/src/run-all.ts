// `npx nx run bench:all`: every measurement of the benchmarks issue, side by side with its baseline,
// in one run on this machine. Writes docs/benchmarks.md and docs/benchmarks.json.
// All traffic goes to 127.0.0.1; every load run and every wait is bounded in time.
// BENCH_ONLY=greeting,users,metrics,web-gateway,startup,sqlite,images,compose runs a subset and prints it
// without rewriting docs/. Runs under jiti (TypeScript, the e2e harness's helpers in apps/e2e/src/support).
import { stopAllApps } from '../../e2e/src/support/processes';
import { greeting, metricsCost, startup, users, webGateway, withDatabases } from './http-apps';
import { composeColdStart, images, sqlitePersister } from './jobs-and-images';
import { machine, writeReport } from './report';
import { DURATION, ROUND_DURATION, ROUNDS, wrkVersion } from './wrk';

async function main(): Promise<void> {
  const generator = `${await wrkVersion()} (-t1; serviço e linha de base em ${ROUNDS} rodadas alternadas de ${ROUND_DURATION}, mediana de cada, depois de um aquecimento descartado; web-gateway: ${DURATION})`;
  const info = await machine(generator);
  console.log(`bench: ${info.cpu}, Node ${info.node}, ${DURATION} por medida`);
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (name: string) => !only || only.includes(name);
  if (wanted('greeting')) await greeting();
  if (wanted('users')) await users();
  if (wanted('metrics')) await metricsCost();
  if (wanted('web-gateway') || wanted('startup')) {
    await withDatabases(async (env) => {
      if (wanted('web-gateway')) await webGateway(env);
      if (wanted('startup')) await startup(env);
    });
  }
  if (wanted('sqlite')) await sqlitePersister();
  if (wanted('images')) await images();
  if (wanted('compose')) await composeColdStart();
  if (only) return;
  writeReport(info);
  console.log('\nescrito: docs/benchmarks.md, docs/benchmarks.json');
}

const timeout = setTimeout(() => {
  console.error('bench: passou de 13 minutos, abortando');
  process.exit(1);
}, 13 * 60_000);

main()
  .catch((error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    clearTimeout(timeout);
    await stopAllApps();
  });
