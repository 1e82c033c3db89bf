import type { LoggerService } from '@nestjs/common';

/**
 * A start-up failure whose message already says what is wrong and which variable to check, e.g. a
 * dependency that never answered. `startHttpApp` prints it as one line and exits with code 1: like a
 * bad variable (libs/config), it is something to fix in the environment, not a bug to debug.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export interface ListenAddress {
  host: string;
  port: number;
}

const PREFIX = 'Erro na partida';

/**
 * The line `startHttpApp` prints when `name` fails to start, or undefined when the error is not a
 * known start-up failure (then it is a bug, and its stack is worth logging).
 */
export function startupFailureLine(name: string, error: unknown, { host, port }: ListenAddress): string | undefined {
  const lead = `${PREFIX} do ${name}:`;
  if (error instanceof StartupError) return `${lead} ${error.message}`;
  const address = `${host}:${port}`;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return `${lead} a porta ${address} já está em uso (PORT=${port}); pare o outro processo ou escolha outra PORT`;
    case 'EACCES':
      return `${lead} sem permissão para ouvir em ${address} (PORT=${port}); escolha uma PORT acima de 1023`;
    case 'EADDRNOTAVAIL':
      return `${lead} o endereço ${host} não pertence a esta máquina (HOST=${host}); use 0.0.0.0 ou um endereço local`;
    default:
      return undefined;
  }
}

/** The line for an unexpected failure; its stack goes to the log just before it. */
export function unexpectedFailureLine(name: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${PREFIX} do ${name}: ${message.split('\n')[0] || 'erro inesperado'}`;
}

/**
 * The logger Nest gets, minus the two errors `startHttpApp` reports itself: the ExceptionHandler's
 * (a failed bootstrap, with its stack, logged before `NestFactory.create` rejects) and the
 * NestApplication's "Error: listen …" (logged before `listen` rejects). So the cause is said once:
 * one line for a known cause, the stack and one line for a bug.
 */
export function withoutStartupErrors(logger: LoggerService): LoggerService {
  const error = (message: unknown, ...params: unknown[]) => {
    const context = params.at(-1);
    if (context === 'ExceptionHandler') return;
    if (context === 'NestApplication' && typeof message === 'string' && message.startsWith('Error: listen ')) return;
    logger.error(message, ...params);
  };
  // A proxy, not a copy: the logger keeps its class and its log levels.
  return new Proxy(logger, {
    get(target, property) {
      if (property === 'error') return error;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
