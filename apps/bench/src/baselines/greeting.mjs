// Baseline: the greeting from raw node:http, no framework. The limit greeting-server is compared to.
import { createServer } from 'node:http';

const body = Buffer.from('Olá do servidor NestJS no container!');
createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
  response.end(body);
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
