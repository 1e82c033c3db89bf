/** The bench's results: one row per measure with its verdict, written to docs/benchmarks.{md,json}. */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { docker, reportHeader, Revision, sourceRevision, WORKSPACE_ROOT } from '@desafios/testing';
import { curvesSvg } from './chart';
import { round } from './stats';
import type { CurvePoint } from './wrk';

export interface Row {
  what: string;
  measure: string;
  value: string;
  target: string;
  /** null: a measurement shown for context, with no target of its own. */
  met: boolean | null;
  [detail: string]: unknown;
}

const results: Row[] = [];

/** Per service: each subject's points (the service and the baseline it is drawn beside). */
export type Curves = Record<string, CurvePoint[]>;
const curveSets: { service: string; curves: Curves }[] = [];

export function recordCurves(service: string, curves: Curves): void {
  curveSets.push({ service, curves });
  for (const [subject, points] of Object.entries(curves)) {
    console.log(`curva ${subject}: ${points.map((p) => `c${p.connections} ${p.rps} req/s p99 ${p.p99} ms`).join(' | ')}`);
  }
}

/** The curves as a table (connections across, each subject's req/s and p99 down). */
function curvesMarkdown(): string {
  if (curveSets.length === 0) return '';
  const connections = curveSets[0].curves[Object.keys(curveSets[0].curves)[0]].map((p) => p.connections);
  const lines = [
    '## Como o custo cresce com as conexões',
    '',
    `![req/s e p99 por número de conexões](benchmarks-curves.svg)`,
    '',
    'Cada ponto é uma rodada só (serviço e linha de base alternados a cada ponto): um ponto isolado varia como o p99 na tabela de repetição abaixo. Erros de socket e respostas não-2xx apareceriam ao lado do número.',
    '',
    `| serviço | medida | ${connections.map((c) => `${c} conexões`).join(' | ')} |`,
    `| --- | --- | ${connections.map(() => '---').join(' | ')} |`,
  ];
  for (const { curves } of curveSets) {
    for (const [subject, points] of Object.entries(curves)) {
      const errors = (p: CurvePoint) => (p.non2xx > 0 || p.socketErrors !== 'none' ? ` (${p.non2xx} não-2xx; erros: ${p.socketErrors})` : '');
      lines.push(`| ${subject} | req/s | ${points.map((p) => `${p.rps}${errors(p)}`).join(' | ')} |`);
      lines.push(`| ${subject} | p99 (ms) | ${points.map((p) => p.p99).join(' | ')} |`);
    }
  }
  return `\n${lines.join('\n')}\n`;
}

export function record(what: string, measure: string, value: string, target: string, met: boolean | null, detail: Record<string, unknown> = {}): void {
  results.push({ what, measure, value, target, met, ...detail });
  console.log(`${met === null ? 'INFO  ' : met ? 'MET   ' : 'MISSED'}  ${what} — ${measure}: ${value} (meta ${target})`);
}

export interface Machine {
  date: string;
  cpu: string;
  memory: string;
  os: string;
  node: string;
  loadAtStart: string;
  loadAtEnd?: string;
  docker: string;
  generator: string;
  /** The commit measured, taken when the run starts (a report's header names it). */
  revision: Revision;
}

const load = () => loadavg().map((value) => round(value, 2)).join(' / ');

export async function machine(generator: string): Promise<Machine> {
  return {
    date: new Date().toISOString(),
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
    memory: `${round(totalmem() / 2 ** 30)} GiB`,
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAtStart: load(),
    docker: await docker(['version', '--format', '{{.Server.Version}}']).catch(() => 'n/d'),
    generator,
    revision: sourceRevision(WORKSPACE_ROOT),
  };
}

/** The generated-report header for a run that `machine()` described: its commit and start. */
export const machineHeader = (command: string, info: Machine) => reportHeader(command, info.revision, info.date);

export function writeReport(info: Machine): void {
  info.loadAtEnd = load();
  const rows = results.map((r) => `| ${r.what} | ${r.measure} | ${r.value} | ${r.target} | ${r.met === null ? 'informativo' : r.met ? 'atingida' : '**não atingida**'} |`);
  const markdown = `# Benchmarks

${machineHeader('npx nx run bench:all', info)}
Mesma ferramenta e mesmos parâmetros para cada serviço e sua linha de base, na mesma execução. A
análise escrita destes números (não gerada) fica à parte, em [benchmarks-analysis.md](../benchmarks-analysis.md).

Máquina: ${info.cpu}, ${info.memory}, ${info.os}; Node ${info.node}; Docker ${info.docker}.
Carga da máquina (loadavg 1/5/15 min) no início: ${info.loadAtStart}; no fim: ${info.loadAtEnd}.
Gerador de carga: ${info.generator}.

| o quê | medida | valor | meta | resultado |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Números brutos: [benchmarks.json](benchmarks.json).
${curvesMarkdown()}`;
  writeFileSync(join(WORKSPACE_ROOT, 'docs/reports/benchmarks.md'), markdown);
  writeFileSync(join(WORKSPACE_ROOT, 'docs/reports/benchmarks.json'), `${JSON.stringify({ machine: info, results, curves: curveSets }, null, 2)}\n`);
  if (curveSets.length > 0) writeFileSync(join(WORKSPACE_ROOT, 'docs/reports/benchmarks-curves.svg'), curvesSvg(curveSets));
}
