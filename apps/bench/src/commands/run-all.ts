// `npx nx run bench:all`: every measurement of the benchmarks issue, side by side with its baseline,
// in one run on this machine. Writes docs/reports/benchmarks.md, docs/reports/benchmarks.json and the curves
// (docs/reports/benchmarks-curves.svg). The HTTP apps run from their images on the bench's own Docker
// network, loaded by wrk in a container on it (lib/stack.ts); start-up and sqlite-persister are timed
// as host processes. Every load run and every wait is bounded in time.
// Its knobs (BENCH_ONLY for a subset, durations): lib/settings.ts. Runs under jiti (apps/bench/run.mjs).
import { stopAllApps } from '@desafios/testing';
import { databases, greeting, metricsCost, startup, users, webGateway } from '../lib/http-apps';
import { composeColdStart, images, sqlitePersister } from '../lib/jobs-and-images';
import { machine, writeReport } from '../lib/report';
import { BenchStack, LIMITS, runOnStack } from '../lib/stack';
import { CURVE_DURATION, ONLY, PARTS, ROUND_DURATION } from '../lib/settings';
import { CURVE_CONNECTIONS, ROUNDS, wrkVersion } from '../lib/wrk';

const LIMIT_MINUTES = 15;

async function main(stack: BenchStack): Promise<void> {
  await stack.up();
  const generator =
    `${await wrkVersion()}, num container na rede do bench (-t1; serviço e linhas de base em ${ROUNDS} rodadas alternadas de ` +
    `${ROUND_DURATION}, mediana de cada, depois de um aquecimento descartado; curvas: ${CURVE_DURATION} por ponto, ` +
    `${CURVE_CONNECTIONS.join('/')} conexões). Apps e linhas de base em containers com mem_limit ${LIMITS.memory} e ${LIMITS.label}, como no compose`;
  const info = await machine(generator);
  console.log(`bench: ${info.cpu}, Node ${info.node}`);
  const wanted = (name: (typeof PARTS)[number]) => !ONLY || ONLY.includes(name);
  if (wanted('greeting')) await greeting(stack);
  if (wanted('users')) await users(stack);
  if (wanted('metrics')) await metricsCost(stack);
  if (wanted('web-gateway') || wanted('startup')) {
    const env = await databases(stack);
    if (wanted('web-gateway')) await webGateway(stack, env);
    if (wanted('startup')) {
      // The host process reaches db and cache by their addresses on the bench network.
      const [db, cache] = [await stack.address(`${stack.network}-db`), await stack.address(`${stack.network}-cache`)];
      await startup({ ...env, POSTGRES_HOST: db, REDIS_HOST: cache });
    }
  }
  await stack.down();
  if (wanted('sqlite')) await sqlitePersister();
  if (wanted('images')) await images();
  if (wanted('compose')) await composeColdStart();
  if (ONLY) return;
  writeReport(info);
  console.log('\nescrito: docs/reports/benchmarks.md, docs/reports/benchmarks.json, docs/reports/benchmarks-curves.svg');
}

runOnStack('bench', LIMIT_MINUTES, main, stopAllApps);
