import { parseConfig } from '@desafios/config';
import { configErrorFor, loadConfigFailure } from '@desafios/config/testing';
import { sqlitePersisterConfig } from './app.config';

const errorFor = (env: NodeJS.ProcessEnv) => configErrorFor(sqlitePersisterConfig, env);

describe('sqlitePersisterConfig', () => {
  it('defaults to /data/meubanco.db and "Dado persistido!"', () => {
    expect(parseConfig(sqlitePersisterConfig, {})).toEqual({
      DB_PATH: '/data/meubanco.db',
      MESSAGE: 'Dado persistido!',
      BUSY_TIMEOUT_MS: 15_000,
    });
  });

  it('accepts absolute and relative file paths and any short message', () => {
    expect(
      parseConfig(sqlitePersisterConfig, { DB_PATH: 'dados/teste.db', MESSAGE: 'olá, volume', BUSY_TIMEOUT_MS: '0' }),
    ).toEqual({ DB_PATH: 'dados/teste.db', MESSAGE: 'olá, volume', BUSY_TIMEOUT_MS: 0 });
    expect(parseConfig(sqlitePersisterConfig, { DB_PATH: '/tmp/x/meu banco.db' }).DB_PATH).toBe('/tmp/x/meu banco.db');
  });

  it.each([
    [{ DB_PATH: '' }, 'DB_PATH: está vazia; esperado um texto de até 4096 caracteres'],
    [{ DB_PATH: ':memory:' }, 'DB_PATH: valor inválido ":memory:" (não grava em disco); esperado o caminho de um arquivo (ex.: /data/meubanco.db)'],
    [{ DB_PATH: 'file:meubanco.db?mode=memory' }, 'DB_PATH: valor inválido "file:meubanco.db?mode=memory" (não grava em disco)'],
    [{ DB_PATH: '/data/' }, 'DB_PATH: valor inválido "/data/" (é uma pasta); esperado o caminho de um arquivo'],
    [{ DB_PATH: 'a\0b' }, 'DB_PATH: valor inválido (contém o caractere nulo)'],
    [{ MESSAGE: '  ' }, 'MESSAGE: está vazia; esperado um texto de até 1000 caracteres'],
    [{ MESSAGE: 'x'.repeat(1001) }, 'MESSAGE: valor inválido'],
    [{ BUSY_TIMEOUT_MS: '-1' }, 'BUSY_TIMEOUT_MS: valor inválido "-1"; esperado um número inteiro de 0 a 600000'],
    [{ BUSY_TIMEOUT_MS: '10s' }, 'BUSY_TIMEOUT_MS: valor inválido "10s"'],
  ])('rejects %j', (env, message) => {
    expect(errorFor(env)).toContain(message);
  });

  it('prints one line naming the variable and exits 1 on a bad DB_PATH', () => {
    expect(loadConfigFailure(sqlitePersisterConfig, { DB_PATH: ':memory:' })).toEqual({
      exitCode: 1,
      writes: [
        'Erro de configuração: DB_PATH: valor inválido ":memory:" (não grava em disco); esperado o caminho de um arquivo (ex.: /data/meubanco.db)\n',
      ],
    });
  });
});
