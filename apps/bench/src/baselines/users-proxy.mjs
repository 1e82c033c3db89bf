// Baseline two-hop: raw node:http fetching /users over a keep-alive agent and rendering the same
// kind of HTML list as users-consumer (escaped). The limit users-consumer is compared to.
import { Agent, createServer, get } from 'node:http';

const upstream = process.env.UPSTREAM_URL;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

createServer((request, response) => {
  get(`${upstream}/users`, { agent }, (upstreamResponse) => {
    const chunks = [];
    upstreamResponse.on('data', (chunk) => chunks.push(chunk));
    upstreamResponse.on('end', () => {
      const users = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const items = users.map((u) => `<li>${escape(u.nome)} — ativo desde ${escape(u.ativo_desde)}</li>`).join('');
      const html = `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Usuários</title></head><body><h1>Usuários</h1><ul>${items}</ul></body></html>`;
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
    });
  }).on('error', () => {
    response.writeHead(503);
    response.end();
  });
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
