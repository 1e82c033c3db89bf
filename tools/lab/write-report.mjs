// Writes docs/reports/lab.md, the three-node lab's table, from what the lab suite measured
// (test-artifacts/lab/lab.json, written by apps/e2e/src/lab/lab.e2e.ts) and Jest's results of that
// run (test-artifacts/lab/jest-lab.json, from `--json`): each row's verdict is the Jest result of
// the test that measured it. It first keeps both, with the commit measured, in docs/reports/lab.json, the
// committed source of the table; `--from-committed` rewrites docs/reports/lab.md from that file alone.
// Run through `npx nx run e2e:lab-report`, which clears that folder, runs the lab, then this script.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportHeader } from '../../libs/testing/src/generated-report.ts';
import { readSuiteRun, resultOf } from '../reports/suite-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const committed = join(root, 'docs/reports/lab.json');
const COMMAND = 'npx nx run e2e:lab-report';

/** Each measurement of lab.json and the test (the start of its name) that measured it. */
const TESTS = {
  spread: 'spreads:',
  drain: 'draining a node',
  rollingUpdate: 'a rolling update',
  nodeLoss: 'losing a whole node',
  desafio3: 'desafio3:',
};

function fromRun() {
  const { revision, startedAt, tests, measured, ...suite } = readSuiteRun(root, 'lab', COMMAND);
  const verdicts = Object.fromEntries(Object.entries(TESTS).map(([key, start]) => [key, resultOf(suite, start)]));
  const run = { revision, startedAt, tests, verdicts, measured };
  writeFileSync(committed, `${JSON.stringify(run, null, 2)}\n`);
  return run;
}

const run = process.argv.includes('--from-committed') ? JSON.parse(readFileSync(committed, 'utf8')) : fromRun();
const { measured: m, verdicts } = run;

const VERDICT = { passed: 'ok', failed: '**FALHOU**', pending: 'pulado', skipped: 'pulado', none: '**sem resultado do Jest**' };
const n = (value, digits = 1) => (typeof value === 'number' ? value.toLocaleString('pt-BR', { maximumFractionDigits: digits }) : '—');
const percent = (share) => `${Math.round(share * 100)} %`;
const row = (what, value, key) => `| ${what} | ${value} | ${key ? VERDICT[verdicts[key]] ?? verdicts[key] : '—'} |`;
const missing = 'sem medida nesta execução';

const spread = m.spread
  ? Object.entries(m.spread)
      .map(([via, perNode]) => `${via}: ${Object.entries(perNode).map(([node, share]) => `${node} ${percent(share)}`).join(', ')}`)
      .join('; ')
  : missing;
const drain = m.drain
  ? `réplica fora do nó em ${n(m.drain.movedSeconds)} s; ${n(m.drain.requests, 0)} requisições, **${m.drain.failed} falhas**`
  : missing;
const rolling = m.rollingUpdate
  ? `${n(m.rollingUpdate.seconds)} s; ${n(m.rollingUpdate.requests, 0)} requisições, **${m.rollingUpdate.failed} falhas**`
  : missing;
const loss = m.nodeLoss;
const nodeLoss = loss
  ? `perdido: ${loss.lost}, com ${loss.replicasOnIt} réplica(s); o swarm o vê \`Down\` em ${n(loss.downSeconds)} s; 3 réplicas de novo nos outros dois em ${n(loss.fullStrengthSeconds)} s; ` +
    `${n(loss.requests, 0)} requisições, **${loss.failed} falhas**` +
    (loss.failureWindowSeconds ? ` (de ${n(loss.failureWindowSeconds.from)} a ${n(loss.failureWindowSeconds.to)} s após o kill)` : '') +
    `; a mais lenta levou ${n(loss.slowestMs / 1000)} s`
  : missing;
const desafio3 = m.desafio3
  ? `gateways dos nós 1 e 2 prontos de novo em ${n(m.desafio3.recoveredSeconds)} s; visitas ${m.desafio3.visitsBefore} → ${m.desafio3.visitsAfter}`
  : missing;

const md = `# Laboratório de três nós: o que o teste mediu

${reportHeader(COMMAND, run.revision, run.startedAt)}
Medido por \`apps/e2e/src/lab/lab.e2e.ts\` (CI: \`npx nx run e2e:lab\`): três Docker Engines em containers
formando um swarm, alimentados por um registro. Os números brutos desta execução estão em
[lab.json](lab.json); a última coluna é o resultado do Jest para o teste que mediu a linha.
${run.tests ? `\n**Testes: ${run.tests.passed} passaram, ${run.tests.failed} falharam, ${run.tests.skipped} pulados.**\n` : ''}
O que os testes afirmam: esvaziar um nó e a atualização gradual, com carga, **não falham nenhuma
requisição**; perder um nó inteiro **só pode falhar requisições que começaram até 5 s depois de o
swarm ver o nó \`Down\`**, e nenhuma depois que as 3 réplicas voltam; as falhas que houve estão na linha.

| o quê | medido | teste |
| --- | --- | --- |
${row('`lab:up` com as imagens já construídas (registro, 3 nós, swarm, publicação, desafio 4 saudável)', m.upSeconds === undefined ? missing : `${n(m.upSeconds, 0)} s`)}
${row('300 requisições pelo consumer de **cada** nó: parte atendida pelas réplicas de cada nó', spread, 'spread')}
${row('esvaziar um nó (`drain`) com carga', drain, 'drain')}
${row('atualização gradual das 3 réplicas, entre os nós, com carga', rolling, 'rollingUpdate')}
${row('perder de repente (SIGKILL) o nó com mais réplicas, com carga pelos outros dois', nodeLoss, 'nodeLoss')}
${row('desafio 3: perder o nó 3 (um gateway)', desafio3, 'desafio3')}
`;

writeFileSync(join(root, 'docs/reports/lab.md'), md);
console.log(`docs/reports/lab.md escrito (commit medido ${run.revision.commit}${run.revision.dirty ? ' + alterações não commitadas' : ''})`);
