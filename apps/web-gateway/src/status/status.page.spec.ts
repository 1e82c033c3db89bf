import { renderStatusPage } from './status.page';
import { StatusReport } from './status.report';

const healthy: StatusReport = {
  ok: true,
  verificadoEm: '2026-11-27T01:00:00.000Z',
  timeoutMs: 1000,
  db: { ok: true, ms: 3, versao: 'PostgreSQL 17.6 on x86_64-pc-linux-gnu' },
  cache: { ok: true, ms: 2, chave: 'status:k', ttlMs: 60_000, valor: 'Olá do Redis!' },
  visitas: { ok: true, ms: 4, total: 42 },
};

describe('renderStatusPage', () => {
  it('shows the version, the cached value and the visit count when all is well', () => {
    const html = renderStatusPage(healthy);
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('Tudo funcionando');
    expect(html).toContain('PostgreSQL 17.6 on x86_64-pc-linux-gnu');
    expect(html).toContain('<dd>Olá do Redis!</dd>');
    expect(html).toContain('<dt>Total de visitas</dt><dd>42</dd>');
    expect(html).toContain('<dd>60 s</dd>');
    expect(html).not.toContain('indisponível');
  });

  it('names what failed and shows why, while still rendering the rest', () => {
    const html = renderStatusPage({
      ...healthy,
      ok: false,
      cache: { ok: false, ms: 1000, chave: 'status:k', ttlMs: 60_000, erro: 'cache (Redis): sem resposta em 1000 ms' },
    });
    expect(html).toContain('role="alert">Falha em: Cache (Redis).');
    expect(html).toContain('cache (Redis): sem resposta em 1000 ms');
    expect(html).toContain('PostgreSQL 17.6');
    expect(html).toMatch(/<section id="cache" class="falha">[\s\S]*indisponível/);
    expect(html).toMatch(/<section id="db" class="ok">[\s\S]*conectado/);
  });

  it('lists every failure when both dependencies are down', () => {
    const html = renderStatusPage({
      ...healthy,
      ok: false,
      db: { ok: false, ms: 1000, erro: 'x' },
      cache: { ok: false, ms: 1000, chave: 'k', ttlMs: 1000, erro: 'y' },
      visitas: { ok: false, ms: 1000, erro: 'z' },
    });
    expect(html).toContain('Falha em: Banco de dados (PostgreSQL), Cache (Redis), Contador de visitas.');
  });

  it('escapes every dynamic string (a hostile value cannot inject markup)', () => {
    const attack = '<script>alert("x")</script>';
    const html = renderStatusPage({
      ...healthy,
      ok: false,
      db: { ok: true, ms: 1, versao: attack },
      cache: { ok: true, ms: 1, chave: attack, ttlMs: 1000, valor: attack },
      visitas: { ok: false, ms: 1, erro: attack },
      verificadoEm: attack,
    });
    expect(html).not.toContain('<script>');
    expect(html.match(/&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/g)).toHaveLength(5);
  });
});
