/**
 * Hostile environments at process level (the bundles in dist/apps): every variable of every app,
 * with bad values derived from its schema (apps/<app>/src/app.config.ts). users-consumer facing a
 * hostile users-service is in hostile-upstream.e2e.ts. Needs the builds: npx nx build <app>
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigDefinition, parseConfig } from '@desafios/config';
import { curlClientConfig } from '../../../curl-client/src/app.config';
import { greetingServerConfig } from '../../../greeting-server/src/app.config';
import { sqlitePersisterConfig } from '../../../sqlite-persister/src/app.config';
import { usersConsumerConfig } from '../../../users-consumer/src/app.config';
import { usersServiceConfig } from '../../../users-service/src/app.config';
import { webGatewayConfig } from '../../../web-gateway/src/app.config';
import { freePort, startApp } from '@desafios/testing';
import { Results } from '../support/results';

const results = new Results('bad-input');
const scratch = mkdtempSync(join(tmpdir(), 'rel-bad-input-'));

/** Valid values that keep an app that did start (it must not) harmless: loopback, a free port, a temp file. */
function safeBase(port: number): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: String(port),
    DB_PATH: join(scratch, 'nunca.db'),
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: '9',
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: '9',
    TARGET_URL: 'http://127.0.0.1:9/',
    USERS_SERVICE_URL: 'http://127.0.0.1:9/',
  };
}

// Candidates by kind, tried against the schema in order; the first one it rejects is used.
const EMPTY = ['', '   '];
const WRONG = ['abc', '1.5', '-1', '0', '99999999999', 'ftp://x/', 'a b', 'x'.repeat(5000), 'a\u0000b'];

interface EnvCase {
  app: string;
  variable: string;
  kind: string;
  env: Record<string, string>;
  expected: string;
}

function rejection(definition: ConfigDefinition<never>, env: Record<string, string>): string | undefined {
  try {
    parseConfig(definition, env);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const APPS: [string, ConfigDefinition<never>][] = [
  ['greeting-server', greetingServerConfig as unknown as ConfigDefinition<never>],
  ['curl-client', curlClientConfig as unknown as ConfigDefinition<never>],
  ['sqlite-persister', sqlitePersisterConfig as unknown as ConfigDefinition<never>],
  ['users-service', usersServiceConfig as unknown as ConfigDefinition<never>],
  ['users-consumer', usersConsumerConfig as unknown as ConfigDefinition<never>],
  ['web-gateway', webGatewayConfig as unknown as ConfigDefinition<never>],
];

/** One "empty" or one "wrong type / out of range" case per variable (alternating), plus the *_FILE cases. */
function envCases(): EnvCase[] {
  const cases: EnvCase[] = [];
  let turn = 0;
  for (const [app, definition] of APPS) {
    for (const variable of Object.keys(definition.schema.shape)) {
      const kinds: [string, string[]][] = turn++ % 2 === 0 ? [['vazia', EMPTY], ['inválida', WRONG]] : [['inválida', WRONG], ['vazia', EMPTY]];
      for (const [kind, candidates] of kinds) {
        const value = candidates.find((candidate) => rejection(definition, { [variable]: candidate }) !== undefined);
        if (value === undefined) continue;
        const env = { [variable]: value };
        cases.push({ app, variable, kind, env, expected: rejection(definition, env) as string });
        break;
      }
    }
    for (const variable of definition.fileVariables) {
      const file = `${variable}_FILE`;
      for (const [kind, env] of [
        ['arquivo inexistente', { [file]: join(scratch, 'nao-existe') }],
        ['arquivo é uma pasta', { [file]: scratch }],
        ['definida duas vezes', { [variable]: 'a', [file]: join(scratch, 'x') }],
      ] as const) {
        cases.push({ app, variable: file, kind, env, expected: rejection(definition, env) as string });
      }
    }
  }
  return cases;
}

const CASES = envCases();

const SUITE = 'reliability: bad input';
const ENV_BLOCK = 'environment: exit code 1 and exactly one clear line';

describe(SUITE, () => {
  afterAll(() => results.write());

  it('derives at least one rejected value for every variable of every app', () => {
    for (const [app, definition] of APPS) {
      for (const variable of Object.keys(definition.schema.shape)) {
        expect(CASES.some((c) => c.app === app && c.variable === variable)).toBe(true);
      }
    }
  });

  describe(ENV_BLOCK, () => {
    // Concurrent (jest maxConcurrency): each case is one short-lived process that kills only itself.
    it.concurrent.each(CASES.map((c) => [`${c.app} ${c.variable} ${c.kind}`, c] as const))('%s', async (_, c) => {
      const port = await freePort();
      const app = startApp(c.app, { ...safeBase(port), ...c.env });
      const { code } = await app.exit(60_000).finally(() => app.kill('SIGKILL'));
      expect(code).toBe(1);
      expect(app.output).toEqual([`Erro de configuração: ${c.expected}`]);
      expect(app.output[0]).toContain(c.variable);
      // One short line: no stack frame, and a long bad value is not echoed in full.
      expect(app.output[0]).not.toMatch(/\n|\s+at /);
      expect(app.output[0].length).toBeLessThan(300);
    });

    afterAll(() => {
      results.add({
        category: 'entrada ruim',
        subject: 'todos os apps',
        scenario: `ambiente: ${CASES.length} casos derivados dos esquemas (vazia, tipo errado, fora da faixa, *_FILE ilegível ou duplicada)`,
        result: 'código 1 e uma única linha "Erro de configuração: …" nomeando a variável',
        metrics: { cases: CASES.length },
        // Added after the cases, outside any test: the row sums up every test of this block.
        test: `${SUITE} ${ENV_BLOCK}`,
      });
    });
  });
});
