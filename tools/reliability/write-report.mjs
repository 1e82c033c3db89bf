// Writes docs/reports/reliability.md from a real run of the reliability and load suites: the measured rows
// (test-artifacts/reliability/<suite>.json, written by apps/e2e/src/support/results.ts `Results`)
// and Jest's own results of that run (jest-reliability.json, jest-load.json, from `--json`). Each
// row's verdict is the Jest result of the test that measured it (passed, failed, skipped), never a
// flag the test wrote; a test that failed or was skipped without measuring anything gets a row of
// its own. Run through `npx nx run e2e:reliability-report`, which clears that folder, runs both
// suites, then this script.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportHeader, sourceRevision } from '../../libs/testing/src/generated-report.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'test-artifacts/reliability');
// The suites run just before this script, in the same target: the commit now is the one they measured.
const revision = sourceRevision(root);
const read = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

// --- Jest's results --------------------------------------------------------------------------

const RUNS = [
  ['reliability', 'jest-reliability.json'],
  ['load', 'jest-load.json'],
];
const runs = RUNS.filter(([, file]) => existsSync(join(dir, file))).map(([name, file]) => ({ name, ...read(file) }));
if (runs.length === 0) {
  console.error(`write-report: no Jest results in ${relative(root, dir)} (run npx nx run e2e:reliability-report)`);
  process.exit(1);
}

/** Every test of every run: file, full name (as expect.getState().currentTestName gives it), status. */
const tests = runs.flatMap((run) =>
  run.testResults.flatMap((file) =>
    file.assertionResults.map((test) => ({
      run: run.name,
      runStart: run.startTime,
      file: file.name,
      fullName: test.fullName,
      status: test.status,
      failure: firstLine(test.failureMessages?.join('\n') ?? ''),
    })),
  ),
);
/** Test files that could not run at all (a compile error, a throwing import): no test results. */
const brokenFiles = runs.flatMap((run) =>
  run.testResults
    .filter((file) => file.assertionResults.length === 0 && (file.testExecError || file.status === 'failed'))
    .map((file) => ({ run: run.name, file: file.name, failure: firstLine(file.testExecError?.message ?? file.message ?? '') })),
);

/** The start of a failure message: its lines up to the first stack frame, on one line, cut at 300 characters. */
function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim());
  const end = lines.findIndex((line) => line.startsWith('at '));
  const joined = lines.slice(0, end < 0 ? undefined : end).filter(Boolean).join(' ');
  return joined.length > 300 ? `${joined.slice(0, 299)}…` : joined;
}

const VERDICT = { passed: 'ok', failed: '**FALHOU**', skipped: 'pulado', none: '**sem resultado do Jest**' };
const kind = (status) => (status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : ['pending', 'skipped', 'todo', 'disabled'].includes(status) ? 'skipped' : 'none');

/** The tests a row stands for: its own test, or every test under the describe block it names. */
function testsOf(row, testPath) {
  const inFile = tests.filter((test) => test.file === testPath);
  const exact = inFile.filter((test) => test.fullName === row.test);
  return exact.length ? exact : inFile.filter((test) => test.fullName.startsWith(`${row.test} `));
}

/** Worst verdict first: one failed test fails the row; skipped only if none of them ran. */
function verdictOf(matched) {
  const kinds = matched.map((test) => kind(test.status));
  if (kinds.length === 0) return 'none';
  if (kinds.includes('failed')) return 'failed';
  if (kinds.includes('none')) return 'none';
  if (kinds.every((k) => k === 'skipped')) return 'skipped';
  return 'passed';
}

// --- measured rows ---------------------------------------------------------------------------

const resultFiles = readdirSync(dir).filter((name) => name.endsWith('.json') && !name.startsWith('jest-'));
const covered = new Set();
const stale = [];
const rows = resultFiles.flatMap((name) => {
  const suite = read(name);
  const matchedAny = suite.rows.flatMap((row) => testsOf(row, suite.testPath));
  // The folder is cleared before each run; a file older than its run is from another one: never merge it.
  const runStart = matchedAny[0]?.runStart;
  if (runStart !== undefined && Date.parse(suite.finishedAt) < runStart) {
    stale.push(name);
    return [];
  }
  return suite.rows.map((row) => {
    const matched = testsOf(row, suite.testPath);
    // A row that sums up a describe block does not name its tests: a failed one still gets its own row.
    if (matched.length === 1 && matched[0].fullName === row.test) covered.add(`${matched[0].file}\u0000${row.test}`);
    return { ...row, suite: suite.suite, verdict: verdictOf(matched) };
  });
});

/** Tests that failed or were skipped and left no row of their own: each gets one. */
const unmeasured = [
  ...tests
    .filter((test) => kind(test.status) !== 'passed' && !covered.has(`${test.file}\u0000${test.fullName}`))
    .map((test) => ({ ...test, verdict: kind(test.status) })),
  ...brokenFiles.map((file) => ({ ...file, fullName: '(a suíte não rodou)', verdict: 'failed' })),
];

// --- the document ----------------------------------------------------------------------------

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (category) => {
  const selected = rows.filter((row) => row.category === category);
  if (selected.length === 0) return '_Nenhum resultado desta categoria na última execução._\n';
  return [
    '| serviço | cenário | resultado medido | teste |',
    '| --- | --- | --- | --- |',
    ...selected.map((row) => `| ${cell(row.subject)} | ${cell(row.scenario)} | ${cell(row.result)} | ${VERDICT[row.verdict]} |`),
  ].join('\n') + '\n';
};

const sum = (selected, metric) => selected.filter((row) => row.metrics && metric in row.metrics).reduce((total, row) => total + row.metrics[metric], 0);
/**
 * What a headline stands on: '' when every row under it passed; otherwise how many did not, and
 * which, so a figure never reads as settled over a row that failed.
 */
function caveat(selected) {
  const notPassed = selected.filter((row) => row.verdict !== 'passed');
  if (notPassed.length === 0) return '';
  const names = notPassed.map((row) => `${row.subject}: ${row.scenario} (${VERDICT[row.verdict]})`).join('; ');
  return ` — **${notPassed.length} de ${selected.length} linhas não passaram**: ${cell(names)}`;
}
// Loss as each test measured it (acknowledged minus found; requests in flight left without an answer).
const lossRows = rows.filter((row) => row.metrics && ('lost' in row.metrics || 'inFlightLost' in row.metrics));
const lost = sum(lossRows, 'lost') + sum(lossRows, 'inFlightLost');
const recoveryRows = rows.filter((row) => row.metrics?.recoveryMs !== undefined && row.scenario.startsWith('SIGKILL'));
const recoveries = recoveryRows.map((row) => row.metrics.recoveryMs);
const badInput = rows.filter((row) => row.category === 'entrada ruim');
const faults = rows.filter((row) => row.category === 'falha');
const loadRows = rows.filter((row) => row.category === 'carga' && /conexões keep-alive/.test(row.scenario));
const dockerVersion = (() => {
  try {
    return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
})();

const count = (run) => ({
  passed: run.numPassedTests,
  failed: run.numFailedTests,
  skipped: run.numPendingTests + run.numTodoTests,
  broken: run.numRuntimeErrorTestSuites,
  ms: Math.max(run.startTime, ...run.testResults.map((file) => file.endTime ?? 0)) - run.startTime,
});
const minutes = (ms) => `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const countsLine = (name, c) =>
  `${name}: ${c.passed} passaram, ${c.failed} falharam, ${c.skipped} pulados${c.broken ? `, ${c.broken} suítes não rodaram` : ''} (${minutes(c.ms)})`;
const perRun = runs.map((run) => ({ name: run.name, ...count(run) }));
const total = perRun.reduce((t, c) => ({ passed: t.passed + c.passed, failed: t.failed + c.failed, skipped: t.skipped + c.skipped, broken: t.broken + c.broken, ms: t.ms + c.ms }), { passed: 0, failed: 0, skipped: 0, broken: 0, ms: 0 });
const missing = RUNS.filter(([name]) => !runs.some((run) => run.name === name)).map(([name]) => name);
const when = new Date(Math.min(...runs.map((run) => run.startTime))).toISOString();

const unmeasuredSection = unmeasured.length
  ? [
      '| suíte | teste | resultado do Jest | |',
      '| --- | --- | --- | --- |',
      ...unmeasured.map((test) => `| ${cell(`${test.run}: ${basename(test.file)}`)} | ${cell(test.fullName)} | ${cell(test.failure || '—')} | ${VERDICT[test.verdict]} |`),
    ].join('\n') + '\n'
  : '_Nenhum: todo teste que falhou ou foi pulado (se algum) aparece com a sua linha medida nas tabelas abaixo._\n';

const md = `# Confiabilidade: resultados medidos

${reportHeader('npx nx run e2e:reliability-report', revision, when)}
A partir de uma execução real (início em ${when}),
numa máquina de ${cpus().length} núcleos compartilhada, Docker Engine ${dockerVersion}. Os testes estão em
\`apps/e2e/src/reliability\` (CI: \`npx nx run e2e:reliability\`) e \`apps/e2e/src/load\` (CI: a forma curta,
\`LOAD_SECONDS=10 LOAD_CONNECTIONS=50\`; aqui a completa, \`npx nx run e2e:load\`). Tempos são medições desta máquina, não promessas; os limites contratuais
(503 dentro do timeout, parada em menos de 2 s, zero dado perdido) são asserções dos testes. A última
coluna de cada tabela é o resultado do Jest para o teste que mediu a linha (ok, **FALHOU** ou pulado).

**Testes: ${total.passed} passaram, ${total.failed} falharam, ${total.skipped} pulados**${total.broken ? `, **${total.broken} suítes não rodaram**` : ''} (${perRun.map((c) => countsLine(c.name, c)).join('; ')}${missing.length ? `; sem resultados nesta execução: ${missing.join(', ')}` : ''}).

## Resumo

| o quê | valor |
| --- | --- |
| carga sustentada | ${loadRows.map((row) => `${row.subject}: ${row.metrics?.requests ?? '?'} req, ${row.metrics?.failed ?? '?'} falhas (${VERDICT[row.verdict]})`).join('; ') || 'não executada nesta rodada (`npx nx run e2e:load`)'} |
| falhas injetadas | ${faults.length} cenários, ${faults.filter((row) => row.verdict === 'passed').length} passaram${caveat(faults)} |
| tempo de recuperação após SIGKILL | ${recoveries.length ? `${Math.min(...recoveries)} a ${Math.max(...recoveries)} ms${caveat(recoveryRows)}` : '—'} |
| entradas ruins | ${sum(badInput, 'requests')} requisições HTTP hostis, ${sum(badInput, 'cases')} ambientes inválidos, ${badInput.filter((row) => row.subject.startsWith('users-consumer ← upstream') && !row.scenario.startsWith('memória')).length} respostas hostis de upstream${caveat(badInput)} |
| **dados perdidos** (confirmados e não encontrados depois: linhas, visitas; requisições em voo sem resposta), soma de ${lossRows.length} medições | ${lossRows.length ? `**${lost}**${caveat(lossRows)}` : 'não medido nesta rodada'} |
${unmeasured.length ? `\n**${unmeasured.length} testes falharam ou foram pulados sem deixar linha medida** (abaixo): o resumo não os conta.\n` : ''}
## Testes que falharam ou foram pulados sem linha própria

${unmeasuredSection}
## Carga

${table('carga')}
## Falhas

${table('falha')}
## Entradas ruins

${table('entrada ruim')}
## Dados

${table('dados')}
## Endurecimento

${table('endurecimento')}`;

writeFileSync(join(root, 'docs/reports/reliability.md'), md);
for (const name of stale) console.warn(`write-report: ignored ${name}: older than its Jest run`);
const unmatched = rows.filter((row) => row.verdict === 'none');
for (const row of unmatched) console.warn(`write-report: no Jest result for "${row.test}" (${row.suite})`);
console.log(
  `docs/reports/reliability.md: ${rows.length} linhas de ${resultFiles.length - stale.length} suítes; testes: ${total.passed} passaram, ${total.failed} falharam, ${total.skipped} pulados; dados perdidos: ${lost}`,
);
