/** The bench's results: one row per measure with its verdict, written to docs/benchmarks.{md,json}. */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { docker } from '../../e2e/src/support/compose';
import { WORKSPACE_ROOT } from '../../e2e/src/support/processes';

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface Row {
  what: string;
  measure: string;
  value: string;
  target: string;
  met: boolean;
  [detail: string]: unknown;
}

const results: Row[] = [];

export function record(what: string, measure: string, value: string, target: string, met: boolean, detail: Record<string, unknown> = {}): void {
  results.push({ what, measure, value, target, met, ...detail });
  console.log(`${met ? 'MET   ' : 'MISSED'}  ${what} — ${measure}: ${value} (meta ${target})`);
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
  };
}

export function writeReport(info: Machine): void {
  info.loadAtEnd = load();
  const rows = results.map((r) => `| ${r.what} | ${r.measure} | ${r.value} | ${r.target} | ${r.met ? 'atingida' : '**não atingida**'} |`);
  const markdown = `# Benchmarks

Gerado por \`npx nx run bench:all\` em ${info.date}. Mesma ferramenta e mesmos parâmetros para cada
serviço e sua linha de base, na mesma execução.

Máquina: ${info.cpu}, ${info.memory}, ${info.os}; Node ${info.node}; Docker ${info.docker}.
Carga da máquina (loadavg 1/5/15 min) no início: ${info.loadAtStart}; no fim: ${info.loadAtEnd}.
Gerador de carga: ${info.generator}.

| o quê | medida | valor | meta | resultado |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Números brutos: [benchmarks.json](benchmarks.json).
`;
  let analysis = '';
  try {
    analysis = `\n${readFileSync(join(WORKSPACE_ROOT, 'docs/benchmarks-analysis.md'), 'utf8')}`;
  } catch {
    // no analysis written yet
  }
  writeFileSync(join(WORKSPACE_ROOT, 'docs/benchmarks.md'), markdown + analysis);
  writeFileSync(join(WORKSPACE_ROOT, 'docs/benchmarks.json'), `${JSON.stringify({ machine: info, results }, null, 2)}\n`);
}
