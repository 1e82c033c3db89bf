// Equal-work baseline for greeting-server: raw node:http sending what the app sends with the
// greeting (a request id, the three security headers, the same keep-alive timeout), so the ratio
// to it is the framework's cost alone, beside the ratio to the plain greeting.mjs.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const requestId = (given) => (typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID());
const body = Buffer.from('Olá do servidor NestJS no container!');
const server = createServer((request, response) => {
  response.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'x-request-id': requestId(request.headers['x-request-id']),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-length': body.length,
  });
  response.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
