/**
 * The core check of each desafio against its compose profile, as the container suite asserts it and
 * the arm64 suite repeats it on arm64 containers: a greeting fetched by the client, rows kept in the
 * volume across new containers, the page with PostgreSQL and Redis, the consumer's page from users-service.
 */
import { ComposeProject, get, waitFor } from '@desafios/testing';
import { JOB_ROW } from './sqlite-persister';

/** A greeting as curl-client logs it, fetched from greeting-server by service name. */
export const GREETING = /GET http:\/\/greeting-server:8080\/ -> 200 em \d+ ms: "Olá do servidor NestJS no container!"/g;

/** The <li> items of the consumer's page. */
export const listItems = (html: string) => [...html.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1]);

/** Desafio 1: waits for at least two greetings in curl-client's log and returns them. */
export function clientGreetings(project: ComposeProject, timeoutMs = 20_000): Promise<string[]> {
  return waitFor(
    'two greetings in the curl-client log',
    async () => {
      const found = (await project.logs('curl-client')).match(GREETING) ?? [];
      return found.length >= 2 ? found : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** Desafio 2: one `docker compose run --rm` of the job (a new container each time), its lines and rows. */
export async function runPersisterJob(
  project: ComposeProject,
  message: string,
  timeoutMs?: number,
): Promise<{ lines: string[]; rows: { id: number; mensagem: string }[] }> {
  const { stdout } = await project.run(['--profile', 'desafio2', 'run', '--rm', '-T', '-e', `MESSAGE=${message}`, 'sqlite-persister'], timeoutMs);
  const lines = stdout.split(/\r?\n/).filter(Boolean);
  const rows = lines
    .map((line) => JOB_ROW.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, id, mensagem]) => ({ id: Number(id), mensagem }));
  return { lines, rows };
}

/** Desafio 3: GET / of web-gateway, expected to be the page with both dependencies up. */
export async function gatewayPage(base: string) {
  const page = await get(`${base}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('Tudo funcionando');
  expect(page.body).toMatch(/<dd>PostgreSQL 17\.\d+/);
  expect(page.body).toMatch(/<dt>Valor lido<\/dt><dd>Olá do Redis! Gravado às \d{4}-/);
  return page;
}

/** Desafio 4: the consumer's page lists exactly the users users-service serves on /users. */
export async function consumerListsUsers(serviceBase: string, consumerBase: string) {
  const users = JSON.parse((await get(`${serviceBase}/users`)).body) as { nome: string; ativo_desde: string }[];
  expect(users.length).toBeGreaterThanOrEqual(3);
  const page = await get(`${consumerBase}/`);
  expect(page.status).toBe(200);
  const items = listItems(page.body);
  expect(items).toHaveLength(users.length);
  users.forEach((user, i) => {
    expect(items[i]).toContain(user.nome);
    expect(items[i]).toContain(user.ativo_desde);
  });
  return page;
}
