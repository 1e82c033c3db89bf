import { createServer } from 'node:net';
import pg from 'pg';
import { StartupError } from '@desafios/server';
import { RetriesExhausted } from '../common/startup-retry';
import { connectDatabase, postgresStartupError, PostgresTarget } from './database.module';

const target: PostgresTarget = { host: 'db', port: 5432, database: 'desafios', username: 'desafios', startupTimeoutMs: 10_000 };
const serverError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('postgresStartupError', () => {
  it('a wrong password: names the user and the variables, never the password', () => {
    const error = postgresStartupError(serverError('28P01', 'password authentication failed for user "desafios"'), target);
    expect(error).toBeInstanceOf(StartupError);
    expect(error?.message).toBe(
      'o PostgreSQL em db:5432 recusou o login do usuário "desafios" (password authentication failed for user "desafios"); ' +
        'confira POSTGRES_USER e POSTGRES_PASSWORD (ou POSTGRES_PASSWORD_FILE)',
    );
  });

  it('a missing database names POSTGRES_DB', () => {
    expect(postgresStartupError(serverError('3D000', 'database "x" does not exist'), { ...target, database: 'x' })?.message).toBe(
      'o banco "x" não existe no PostgreSQL em db:5432; confira POSTGRES_DB',
    );
  });

  it('an unreachable server past the budget names the attempts, the budget and the address variables', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.2:5432'), { code: 'ECONNREFUSED' });
    expect(postgresStartupError(new RetriesExhausted(refused, 11, 10_004), target)?.message).toBe(
      'PostgreSQL em db:5432 inacessível: 11 tentativa(s) em 10004 ms (STARTUP_TIMEOUT_MS=10000), a última com ECONNREFUSED; ' +
        'confira POSTGRES_HOST e POSTGRES_PORT',
    );
  });

  it('leaves other errors (a failed migration, a bug) alone, so they keep their stack', () => {
    expect(postgresStartupError(serverError('42501', 'permission denied for schema public'), target)).toBeUndefined();
    expect(postgresStartupError(new TypeError('boom'), target)).toBeUndefined();
  });
});

describe('connectDatabase', () => {
  const options = (port: number) =>
    ({ type: 'postgres', driver: pg, host: '127.0.0.1', port, username: 'u', password: 'p', database: 'd', connectTimeoutMS: 500 }) as const;

  it('retries a refused connection within the budget, then fails with one line', async () => {
    // A port that was free a moment ago: nothing listens, every attempt is refused at once.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const started = Date.now();
    const error = await connectDatabase(options(port), { ...target, host: '127.0.0.1', port, startupTimeoutMs: 1200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(
      new RegExp(`^PostgreSQL em 127\\.0\\.0\\.1:${port} inacessível: \\d+ tentativa\\(s\\) em \\d+ ms \\(STARTUP_TIMEOUT_MS=1200\\), a última com ECONNREFUSED;`),
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
