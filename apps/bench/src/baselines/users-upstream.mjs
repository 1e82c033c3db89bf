// Baseline upstream: the same /users JSON as users-service, from raw node:http.
import { createServer } from 'node:http';

const users = Buffer.from(JSON.stringify([
  { id: 1, nome: 'Ada Lovelace', ativo_desde: '2021-03-15' },
  { id: 2, nome: 'Alan Turing', ativo_desde: '2022-07-01' },
  { id: 3, nome: 'Grace Hopper', ativo_desde: '2023-11-20' },
]));
createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': users.length });
  response.end(users);
}).listen(Number(process.env.PORT), '127.0.0.1');
