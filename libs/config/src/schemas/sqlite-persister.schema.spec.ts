import { loadConfig, parseConfig } from '../lib/config';
import { sqlitePersisterConfig } from './sqlite-persister.schema';

function errorFor(env: NodeJS.ProcessEnv): string {
  try {
    parseConfig(sqlitePersisterConfig, env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

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
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    const exit = jest.fn((code: number): never => {
      throw new Error(`exit ${code}`);
    });
    try {
      expect(() => loadConfig(sqlitePersisterConfig, { DB_PATH: ':memory:' }, exit)).toThrow('exit 1');
    } finally {
      spy.mockRestore();
    }
    expect(exit).toHaveBeenCalledWith(1);
    expect(writes).toEqual([
      'Erro de configuração: DB_PATH: valor inválido ":memory:" (não grava em disco); esperado o caminho de um arquivo (ex.: /data/meubanco.db)\n',
    ]);
  });
});
