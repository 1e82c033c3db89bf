// Baseline upstream: the same /users JSON as users-service, from raw node:http. USERS_REPEAT=10
// serves the list ten times over (ids renumbered): the consumer's memory with a longer list.
import { createServer } from 'node:http';

const seed = [
  { nome: 'Ada Lovelace', ativo_desde: '2021-03-15' },
  { nome: 'Alan Turing', ativo_desde: '2022-07-01' },
  { nome: 'Grace Hopper', ativo_desde: '2023-11-20' },
];
const repeat = Number(process.env.USERS_REPEAT ?? 1);
const users = Buffer.from(JSON.stringify(
  Array.from({ length: repeat }, () => seed).flat().map((user, i) => ({ id: i + 1, ...user })),
));
createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': users.length });
  response.end(users);
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
