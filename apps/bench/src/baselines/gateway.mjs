// Equal-work baseline for web-gateway's GET /: raw node:http + pg + @redis/client (the clients the
// gateway uses underneath TypeORM and Keyv), doing per request what the page does: the one SQL
// statement (version and visit count), the cache's write-then-read of a fresh key with a 60 s TTL,
// the same headers and the same HTML page. No framework, no ORM, no cache abstraction, no metrics.
// The page template is copied from status.page.ts on purpose: a baseline imports nothing from the app.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createClient } from '@redis/client';
import pg from 'pg';

const env = process.env;
const pool = new pg.Pool({
  host: env.POSTGRES_HOST, port: Number(env.POSTGRES_PORT ?? 5432), database: env.POSTGRES_DB,
  user: env.POSTGRES_USER, password: env.POSTGRES_PASSWORD, max: 5, keepAlive: true,
});
const redis = createClient({ url: `redis://${env.REDIS_HOST}:${env.REDIS_PORT ?? 6379}` });
await redis.connect();

const COUNT_VISIT = `WITH counted AS (UPDATE visitas SET total = total + 1 WHERE id = $1 RETURNING total)
  SELECT version() AS version, (SELECT total FROM counted) AS total`;
const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

async function cacheRoundTrip() {
  const key = `web-gateway::status:verificacao:${randomUUID()}`;
  const written = `Olá do Redis! Gravado às ${new Date().toISOString()}`;
  await redis.set(key, written, { PX: 60_000 });
  const read = await redis.get(key);
  if (read !== written) throw new Error('valor lido difere do gravado');
  return { key, value: read };
}

const section = (id, title, rows) => `<section id="${id}" class="ok">
  <h2>${escape(title)} <span class="badge ok">ok</span></h2>
  <dl>${rows.map(([label, value]) => `<dt>${escape(label)}</dt><dd>${escape(value)}</dd>`).join('')}</dl>
</section>`;

function page(db, cache, started) {
  const ms = Math.round(performance.now() - started);
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Status: tudo certo · web-gateway</title>
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
<p class="resumo ok" role="status">Tudo funcionando: banco de dados e cache respondendo.</p>
${section('db', 'Banco de dados (PostgreSQL)', [['Versão', db.version], ['Tempo da verificação', `${ms} ms`]])}
${section('cache', 'Cache (Redis)', [['Chave', cache.key], ['Valor lido', cache.value], ['Expira em', '60 s'], ['Tempo da verificação', `${ms} ms`]])}
${section('visitas', 'Contador de visitas', [['Total de visitas', db.total], ['Tempo da verificação', `${ms} ms`]])}
<footer>Verificado em ${new Date().toISOString()} · limite de 1000 ms por verificação · os mesmos dados em JSON: <a href="/status">/status</a></footer>
</body>
</html>
`;
}

const server = createServer(async (request, response) => {
  const started = performance.now();
  const headers = {
    'x-request-id': randomUUID(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
  try {
    const [{ rows }, cache] = await Promise.all([pool.query(COUNT_VISIT, [1]), cacheRoundTrip()]);
    const html = page(rows[0], cache, started);
    response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    response.end(html);
  } catch (error) {
    response.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    response.end(String(error));
  }
});
server.keepAliveTimeout = 72_000;
server.listen(Number(env.PORT), env.HOST ?? '127.0.0.1');
