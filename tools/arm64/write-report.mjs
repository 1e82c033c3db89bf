// Writes docs/reports/arm64.md from a run of the arm64 suite: what it measured
// (test-artifacts/arm64/arm64.json, written by apps/e2e/src/arm64/arm64.e2e.ts) and Jest's results of
// that run (jest-arm64.json, from `--json`), each row's verdict the result of the test behind it. The
// run is also kept, with the commit measured, in docs/reports/arm64.json; `--from-committed` rewrites
// the page from that file alone. Run through `npx nx run e2e:arm64-report`, which clears that folder,
// runs the suite, then this script.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportHeader } from '../../libs/testing/src/generated-report.ts';
import { readSuiteRun, resultOf } from '../reports/suite-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const COMMAND = 'npx nx run e2e:arm64-report';
const committed = join(root, 'docs/reports/arm64.json');

function fromRun() {
  // The machine's load when the run ended (1, 5 and 15 min): emulated timings move with it.
  const run = { ...readSuiteRun(root, 'arm64', COMMAND), loadAverage: loadavg().map((value) => Math.round(value * 10) / 10) };
  writeFileSync(committed, `${JSON.stringify(run, null, 2)}\n`);
  return run;
}

const run = process.argv.includes('--from-committed') ? JSON.parse(readFileSync(committed, 'utf8')) : fromRun();
const verdict = (start) => VERDICTS[resultOf(run, start)];

const VERDICTS = { passed: 'ok', failed: '**FALHOU**', pending: 'pulado', skipped: 'pulado', none: '**sem resultado do Jest**' };
const s = (value) => (typeof value === 'number' ? `${value.toLocaleString('pt-BR', { maximumFractionDigits: 1 })} s` : 'sem medida');
const { buildSeconds, releaseSeconds, desafios } = run.measured;
const desafioRows = Object.entries(desafios ?? {}).map(
  ([desafio, { arm64, amd64, slowdown }]) =>
    `| ${desafio}: a verificação central em containers arm64 (e em amd64) | ${s(arm64)} (amd64: ${s(amd64)}; ${slowdown.toLocaleString('pt-BR')}× mais lento) | ${verdict(`${desafio}:`)} |`,
);

const md = `# arm64: o que a suíte mediu

${reportHeader(COMMAND, run.revision, run.startedAt)}
Medido por \`apps/e2e/src/arm64/arm64.e2e.ts\` (fora do CI: \`npx nx run e2e:arm64\`; por quê em
[arm64.md](../arm64.md)), numa máquina amd64 de ${availableParallelism()} núcleos, o arm64 emulado pelo QEMU; carga média ao fim
(1/5/15 min): ${run.loadAverage.join(' / ')}. Os números brutos estão em [arm64.json](arm64.json); a última coluna é o
resultado do Jest para o teste da linha. Tempos são medidos, não afirmados pelos testes.
${run.tests ? `\n**Testes: ${run.tests.passed} passaram, ${run.tests.failed} falharam, ${run.tests.skipped} pulados.**\n` : ''}
| o quê | medido | teste |
| --- | --- | --- |
| construir as seis imagens linux/arm64 (\`compose.arm64.yaml\`; só o estágio runtime emulado), com o cache de build que a máquina tinha | ${s(buildSeconds)} | ${verdict('every app image is linux/arm64')} |
${desafioRows.join('\n')}
| \`release:images\`: uma lista por imagem com linux/amd64 e linux/arm64, cada uma baixada pelo digest | ${s(releaseSeconds)} | ${verdict('release:images')} |
`;
writeFileSync(join(root, 'docs/reports/arm64.md'), md);
console.log(`docs/reports/arm64.md escrito (commit medido ${run.revision.commit}${run.revision.dirty ? ' + alterações não commitadas' : ''})`);
