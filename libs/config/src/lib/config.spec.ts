import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, loadConfig, parseConfig } from './config';
import { configErrorFor, loadConfigFailure } from './config.testing';
import { flag, httpUrl, integer, port, secret, text } from './variables';

const definition = defineConfig(
  {
    PORT: port(8080),
    TARGET_URL: httpUrl('http://greeting-server:8080/'),
    INTERVAL_MS: integer(100, 10_000, { fallback: 3000 }),
    MAX_REQUESTS: integer(1, 100, { optional: true }),
    NAME: text({ maxLength: 5 }),
    PASSWORD: secret('padrao'),
    METRICS_ENABLED: flag(true),
  },
  ['PASSWORD'],
);

const errorFor = (env: NodeJS.ProcessEnv) => configErrorFor(definition, { NAME: 'ok', ...env });

describe('parseConfig', () => {
  it('applies the defaults when variables are unset', () => {
    expect(parseConfig(definition, { NAME: 'ok' })).toEqual({
      PORT: 8080,
      TARGET_URL: 'http://greeting-server:8080/',
      INTERVAL_MS: 3000,
      MAX_REQUESTS: undefined,
      NAME: 'ok',
      PASSWORD: 'padrao',
      METRICS_ENABLED: true,
    });
  });

  it('parses and types given values', () => {
    const config = parseConfig(definition, {
      NAME: ' ok ',
      PORT: '9000',
      INTERVAL_MS: '250',
      MAX_REQUESTS: '7',
      TARGET_URL: 'https://example.test/x',
      METRICS_ENABLED: 'off',
    });
    expect(config).toMatchObject({ METRICS_ENABLED: false, PORT: 9000, INTERVAL_MS: 250, MAX_REQUESTS: 7, NAME: 'ok' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: valor inválido "abc"; esperado um número inteiro de 1 a 65535'],
    [{ METRICS_ENABLED: 'sim' }, 'METRICS_ENABLED: valor inválido "sim"; esperado true ou false'],
    [{ PORT: '8080abc' }, 'PORT: valor inválido "8080abc"'],
    [{ PORT: '1.5' }, 'PORT: valor inválido "1.5"'],
    [{ PORT: '0' }, 'PORT: valor inválido "0"; esperado um número inteiro de 1 a 65535'],
    [{ PORT: '65536' }, 'PORT: valor inválido "65536"'],
    [{ PORT: '-1' }, 'PORT: valor inválido "-1"'],
    [{ PORT: '' }, 'PORT: está vazia; esperado um número inteiro de 1 a 65535'],
    [{ PORT: '   ' }, 'PORT: está vazia'],
    [{ INTERVAL_MS: '99' }, 'INTERVAL_MS: valor inválido "99"; esperado um número inteiro de 100 a 10000'],
    [{ MAX_REQUESTS: 'muitos' }, 'MAX_REQUESTS: valor inválido "muitos"'],
    [{ TARGET_URL: 'greeting-server:8080' }, 'TARGET_URL: valor inválido "greeting-server:8080"; esperado uma URL http://'],
    [{ TARGET_URL: 'ftp://x/' }, 'TARGET_URL: valor inválido "ftp://x/"'],
    [{ NAME: 'longo demais' }, 'NAME: valor inválido "longo demais"; esperado um texto de até 5 caracteres'],
  ])('rejects %j', (env, message) => {
    expect(errorFor(env)).toContain(message);
  });

  it('cuts a long bad value short, so the error stays one short line', () => {
    expect(errorFor({ NAME: 'y'.repeat(500) })).toBe(
      `NAME: valor inválido "${'y'.repeat(60)}"… (500 caracteres); esperado um texto de até 5 caracteres`,
    );
  });

  it('reports a missing required variable', () => {
    expect(() => parseConfig(definition, {})).toThrow('NAME: não definida; esperado um texto de até 5 caracteres');
  });

  it('names every bad variable in one line', () => {
    const message = errorFor({ PORT: 'x', INTERVAL_MS: 'y' });
    expect(message).toContain('PORT:');
    expect(message).toContain('INTERVAL_MS:');
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret value', () => {
    const message = errorFor({ PASSWORD: ' ' });
    expect(message).toBe('PASSWORD: está vazia; esperado um texto não vazio');
  });

  describe('*_FILE variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-spec-'));

    it('reads the value from the file, without the trailing newline', () => {
      const file = join(dir, 'password');
      writeFileSync(file, 's3nha\n');
      expect(parseConfig(definition, { NAME: 'ok', PASSWORD_FILE: file }).PASSWORD).toBe('s3nha');
    });

    it('rejects an unreadable file, naming the variable and the path', () => {
      const file = join(dir, 'nao-existe');
      expect(errorFor({ PASSWORD_FILE: file })).toBe(
        `PASSWORD_FILE: não foi possível ler "${file}" (ENOENT); esperado o caminho de um arquivo legível`,
      );
    });

    it('rejects a variable given both ways', () => {
      expect(errorFor({ PASSWORD: 'a', PASSWORD_FILE: '/x' })).toContain(
        'PASSWORD e PASSWORD_FILE estão ambas definidas',
      );
    });
  });
});

describe('loadConfig', () => {
  it('returns the typed config when the environment is valid', () => {
    expect(loadConfig(definition, { NAME: 'ok', PORT: '81' }).PORT).toBe(81);
  });

  it('prints one line to stderr and exits with code 1 on a bad value', () => {
    expect(loadConfigFailure(definition, { NAME: 'ok', PORT: 'abc' })).toEqual({
      exitCode: 1,
      writes: ['Erro de configuração: PORT: valor inválido "abc"; esperado um número inteiro de 1 a 65535\n'],
    });
  });
});
