import type { LoggerService } from '@nestjs/common';
import { StartupError, startupFailureLine, unexpectedFailureLine, withoutStartupErrors } from './startup-failure';

const listenError = (code: string) => Object.assign(new Error(`listen ${code}: 127.0.0.1:8080`), { code, syscall: 'listen' });
const address = { host: '127.0.0.1', port: 8080 };

describe('startupFailureLine', () => {
  it.each([
    ['EADDRINUSE', 'Erro na partida do web-gateway: a porta 127.0.0.1:8080 já está em uso (PORT=8080); pare o outro processo ou escolha outra PORT'],
    ['EACCES', 'Erro na partida do web-gateway: sem permissão para ouvir em 127.0.0.1:8080 (PORT=8080); escolha uma PORT acima de 1023'],
    ['EADDRNOTAVAIL', 'Erro na partida do web-gateway: o endereço 127.0.0.1 não pertence a esta máquina (HOST=127.0.0.1); use 0.0.0.0 ou um endereço local'],
  ])('names the cause and the variable of a listen %s', (code, line) => {
    expect(startupFailureLine('web-gateway', listenError(code), address)).toBe(line);
  });

  it('prints a StartupError as it is, after the app name', () => {
    expect(startupFailureLine('web-gateway', new StartupError('Redis em cache:6379 inacessível'), address)).toBe(
      'Erro na partida do web-gateway: Redis em cache:6379 inacessível',
    );
  });

  it('leaves anything else to the caller (a bug keeps its stack)', () => {
    expect(startupFailureLine('x', new TypeError('boom'), address)).toBeUndefined();
    expect(startupFailureLine('x', undefined, address)).toBeUndefined();
  });
});

describe('unexpectedFailureLine', () => {
  it('keeps the first line of the message only', () => {
    expect(unexpectedFailureLine('x', new Error('primeira\nsegunda'))).toBe('Erro na partida do x: primeira');
    expect(unexpectedFailureLine('x', 'texto')).toBe('Erro na partida do x: texto');
  });
});

describe('withoutStartupErrors', () => {
  it("drops Nest's ExceptionHandler and listen errors, which startHttpApp reports itself, and keeps the rest", () => {
    const calls: unknown[][] = [];
    const logger: LoggerService = {
      log: (...args: unknown[]) => void calls.push(['log', ...args]),
      error: (...args: unknown[]) => void calls.push(['error', ...args]),
      warn: (...args: unknown[]) => void calls.push(['warn', ...args]),
    };
    const wrapped = withoutStartupErrors(logger);
    wrapped.error(new StartupError('x'), undefined, 'ExceptionHandler');
    wrapped.error('Error: listen EADDRINUSE: address already in use 127.0.0.1:8080', 'NestApplication');
    wrapped.error('outra falha', 'NestApplication');
    wrapped.warn('aviso', 'Cache');
    wrapped.log('ok', 'Bootstrap');
    expect(calls).toEqual([
      ['error', 'outra falha', 'NestApplication'],
      ['warn', 'aviso', 'Cache'],
      ['log', 'ok', 'Bootstrap'],
    ]);
  });
});
