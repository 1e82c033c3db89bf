import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@desafios/config';
import { configErrorFor } from '@desafios/config/testing';
import { webGatewayConfig } from './app.config';

const errorFor = (env: NodeJS.ProcessEnv) => configErrorFor(webGatewayConfig, env);

describe('webGatewayConfig', () => {
  it('defaults to the compose service names and ports', () => {
    expect(parseConfig(webGatewayConfig, {})).toEqual({
      HOST: '0.0.0.0',
      PORT: 8080,
      METRICS_ENABLED: true,
      POSTGRES_HOST: 'db',
      POSTGRES_PORT: 5432,
      POSTGRES_DB: 'desafios',
      POSTGRES_USER: 'desafios',
      POSTGRES_PASSWORD: 'desafios',
      REDIS_HOST: 'cache',
      REDIS_PORT: 6379,
      CHECK_TIMEOUT_MS: 1000,
      STARTUP_TIMEOUT_MS: 10_000,
    });
  });

  it('reads every variable from the environment', () => {
    const config = parseConfig(webGatewayConfig, {
      PORT: '9000',
      POSTGRES_HOST: 'localhost',
      POSTGRES_PORT: '15432',
      POSTGRES_DB: 'loja',
      POSTGRES_USER: 'app',
      POSTGRES_PASSWORD: 's3nha',
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: '16379',
      CHECK_TIMEOUT_MS: '250',
      STARTUP_TIMEOUT_MS: '0',
    });
    expect(config).toMatchObject({
      PORT: 9000,
      POSTGRES_HOST: 'localhost',
      POSTGRES_PORT: 15432,
      POSTGRES_DB: 'loja',
      POSTGRES_USER: 'app',
      POSTGRES_PASSWORD: 's3nha',
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: 16379,
      CHECK_TIMEOUT_MS: 250,
      STARTUP_TIMEOUT_MS: 0,
    });
  });

  it('reads the password from POSTGRES_PASSWORD_FILE (Docker secrets), without the final newline', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'web-gateway-')), 'senha');
    writeFileSync(file, 'do-arquivo\n');
    expect(parseConfig(webGatewayConfig, { POSTGRES_PASSWORD_FILE: file }).POSTGRES_PASSWORD).toBe('do-arquivo');
  });

  it('refuses POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE together', () => {
    expect(errorFor({ POSTGRES_PASSWORD: 'a', POSTGRES_PASSWORD_FILE: '/x' })).toContain(
      'POSTGRES_PASSWORD e POSTGRES_PASSWORD_FILE estão ambas definidas',
    );
  });

  it('never echoes the password in an error', () => {
    const message = errorFor({ POSTGRES_PASSWORD: 'x'.repeat(5000) });
    expect(message).toContain('POSTGRES_PASSWORD: valor inválido');
    expect(message).not.toContain('xxxx');
  });

  it.each([
    [{ POSTGRES_PORT: 'abc' }, 'POSTGRES_PORT: valor inválido "abc"'],
    [{ REDIS_HOST: 'redis host' }, 'REDIS_HOST: valor inválido "redis host"'],
    [{ CHECK_TIMEOUT_MS: '50' }, 'CHECK_TIMEOUT_MS: valor inválido "50"; esperado um número inteiro de 100 a 30000'],
    [{ POSTGRES_DB: '' }, 'POSTGRES_DB: está vazia'],
  ])('rejects %j', (env, expected) => {
    expect(errorFor(env)).toContain(expected);
  });
});
