// Writes docs/reliability.md from the results of a real run of the reliability and load suites
// (test-artifacts/reliability/*.json, written by apps/e2e/src/reliability/support.ts `Results`).
// Run through `npx nx run e2e:reliability-report`, which runs both suites first.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'test-artifacts/reliability');
const suites = existsSync(dir)
  ? readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.startsWith('jest-'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')))
  : [];
const rows = suites.flatMap((suite) => suite.rows.map((row) => ({ ...row, suite: suite.suite, finishedAt: suite.finishedAt })));
const jestRuns = ['jest-reliability.json', 'jest-load.json']
  .filter((name) => existsSync(join(dir, name)))
  .map((name) => ({ name, ...JSON.parse(readFileSync(join(dir, name), 'utf8')) }));

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (category, columns) => {
  const selected = rows.filter((row) => row.category === category);
  if (selected.length === 0) return '_Nenhum resultado desta categoria na última execução._\n';
  return [
    `| ${columns.map(([title]) => title).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...selected.map((row) => `| ${columns.map(([, pick]) => cell(pick(row))).join(' | ')} |`),
  ].join('\n') + '\n';
};
const verdict = (row) => (row.ok ? 'ok' : '**FALHOU**');
const standard = [
  ['serviço', (row) => row.subject],
  ['cenário', (row) => row.scenario],
  ['resultado medido', (row) => row.result],
  ['', verdict],
];

const lost = rows.filter((row) => row.metrics && 'lost' in row.metrics).reduce((sum, row) => sum + row.metrics.lost, 0)
  + rows.filter((row) => row.metrics && 'inFlightLost' in row.metrics).reduce((sum, row) => sum + row.metrics.inFlightLost, 0);
const recoveries = rows.filter((row) => row.metrics?.recoveryMs !== undefined && row.scenario.startsWith('SIGKILL')).map((row) => row.metrics.recoveryMs);
const fuzzed = rows.filter((row) => row.category === 'entrada ruim').reduce((sum, row) => sum + (row.metrics?.requests ?? 0), 0);
const envCases = rows.filter((row) => row.category === 'entrada ruim').reduce((sum, row) => sum + (row.metrics?.cases ?? 0), 0);
const dockerVersion = (() => {
  try {
    return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
})();
const when = rows.map((row) => row.finishedAt).sort().at(-1) ?? new Date().toISOString();
const testsLine = jestRuns
  .map((run) => `${run.name.replace(/^jest-|\.json$/g, '')}: ${run.numPassedTests} passaram, ${run.numFailedTests} falharam`)
  .join('; ');

const md = `# Confiabilidade: resultados medidos

Gerado por \`npx nx run e2e:reliability-report\` a partir de uma execução real (última em ${when}),
numa máquina de ${cpus().length} núcleos compartilhada, Docker Engine ${dockerVersion}. Os testes estão em
\`apps/e2e/src/reliability\` (CI: \`npx nx run e2e:reliability\`) e \`apps/e2e/src/load\` (fora do CI:
\`npx nx run e2e:load\`). Tempos são medições desta máquina, não promessas; os limites contratuais
(503 dentro do timeout, parada em menos de 2 s, zero dado perdido) são asserções dos testes.
${testsLine ? `\nTestes: ${testsLine}.\n` : ''}
## Resumo

| o quê | valor |
| --- | --- |
| carga sustentada | ${rows.filter((row) => row.category === 'carga' && /conexões keep-alive/.test(row.scenario)).map((row) => `${row.subject}: ${row.metrics?.requests ?? '?'} req, ${row.metrics?.failed ?? '?'} falhas`).join('; ') || 'não executada nesta rodada (`npx nx run e2e:load`)'} |
| falhas injetadas | ${rows.filter((row) => row.category === 'falha').length} cenários, ${rows.filter((row) => row.category === 'falha' && row.ok).length} sobrevividos |
| tempo de recuperação após SIGKILL | ${recoveries.length ? `${Math.min(...recoveries)} a ${Math.max(...recoveries)} ms` : '—'} |
| entradas ruins | ${fuzzed} requisições HTTP hostis, ${envCases} ambientes inválidos, ${rows.filter((row) => row.subject.startsWith('users-consumer ← upstream')).length} respostas hostis de upstream |
| **dados perdidos** (linhas/visitas confirmadas + requisições em voo sem resposta) | **${lost}** |

## Carga

${table('carga', standard)}
## Falhas

${table('falha', standard)}
## Entradas ruins

${table('entrada ruim', standard)}
## Dados

${table('dados', standard)}
## Endurecimento

${table('endurecimento', standard)}`;

writeFileSync(join(root, 'docs/reliability.md'), md);
console.log(`docs/reliability.md: ${rows.length} linhas de ${suites.length} suítes; dados perdidos: ${lost}`);
