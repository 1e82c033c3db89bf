import { escapeHtml } from '@desafios/server';
import type { CheckResult } from '../common/dependency-check';
import { StatusReport, failuresOf } from './status.report';

const NAMES = { db: 'Banco de dados (PostgreSQL)', cache: 'Cache (Redis)', visitas: 'Contador de visitas' } as const;

const OK_LABELS = { db: 'conectado', cache: 'conectado', visitas: 'contando' } as const;

function badge(id: keyof typeof NAMES, check: CheckResult): string {
  return check.ok
    ? `<span class="badge ok">${OK_LABELS[id]}</span>`
    : '<span class="badge falha">indisponível</span>';
}

function section(id: keyof typeof NAMES, check: CheckResult, rows: [string, string | undefined][]): string {
  const details = check.ok
    ? rows
        .filter(([, value]) => value !== undefined)
        .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
        .join('')
    : `<dt>Erro</dt><dd class="erro">${escapeHtml(check.erro ?? 'falha desconhecida')}</dd>`;
  return `<section id="${id}" class="${check.ok ? 'ok' : 'falha'}">
  <h2>${escapeHtml(NAMES[id])} ${badge(id, check)}</h2>
  <dl>${details}<dt>Tempo da verificação</dt><dd>${escapeHtml(check.ms)} ms</dd></dl>
</section>`;
}

/** The status page: the same report as GET /status, for a person. */
export function renderStatusPage(report: StatusReport): string {
  const failures = failuresOf(report);
  const summary = failures.length === 0
    ? '<p class="resumo ok" role="status">Tudo funcionando: banco de dados e cache respondendo.</p>'
    : `<p class="resumo falha" role="alert">Falha em: ${failures.map((name) => escapeHtml(NAMES[name])).join(', ')}.</p>`;
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${failures.length === 0 ? 'Status: tudo certo' : 'Status: falha'} · web-gateway</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
  h1 { font-size: 1.6rem; }
  section { border: 1px solid #ccc; border-left-width: 6px; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
  section.ok { border-left-color: #1a7f37; }
  section.falha { border-left-color: #cf222e; }
  h2 { font-size: 1.15rem; }
  .badge { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 1rem; color: #fff; vertical-align: middle; }
  .badge.ok { background: #1a7f37; }
  .badge.falha { background: #cf222e; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; }
  dt { font-weight: 600; }
  dd { margin: 0; overflow-wrap: anywhere; }
  .resumo { padding: 0.75rem 1rem; border-radius: 6px; font-weight: 600; }
  .resumo.ok { background: #dafbe1; }
  .resumo.falha { background: #ffebe9; }
  footer { color: #555; font-size: 0.85rem; }
</style>
</head>
<body>
<h1>Desafio 3 · web-gateway</h1>
${summary}
${section('db', report.db, [['Versão', report.db.versao]])}
${section('cache', report.cache, [
  ['Chave', report.cache.chave],
  ['Valor lido', report.cache.valor],
  ['Expira em', `${Math.round(report.cache.ttlMs / 1000)} s`],
])}
${section('visitas', report.visitas, [['Total de visitas', report.visitas.total?.toString()]])}
<footer>Verificado em ${escapeHtml(report.verificadoEm)} · limite de ${escapeHtml(report.timeoutMs)} ms por verificação · os mesmos dados em JSON: <a href="/status">/status</a></footer>
</body>
</html>
`;
}
