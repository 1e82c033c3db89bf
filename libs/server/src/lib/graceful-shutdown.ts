import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

export interface ShutdownOptions {
  /** Hard limit: if closing takes longer, the process exits anyway (with code 1). */
  graceMs: number;
  signals?: NodeJS.Signals[];
  log?: (message: string) => void;
}

/**
 * On SIGTERM/SIGINT run `close` once, then exit 0. Docker sends SIGTERM on `stop` and SIGKILLs
 * after 10 s; we stay well inside that, so a stop is always clean and quick.
 */
export function exitOnSignal(close: () => Promise<void>, options: ShutdownOptions): void {
  const { graceMs, signals = ['SIGTERM', 'SIGINT'], log = () => undefined } = options;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log(`${signal} recebido: encerrando`);
    setTimeout(() => {
      log(`encerramento passou de ${graceMs} ms: saindo mesmo assim`);
      process.exit(1);
    }, graceMs).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`falha ao encerrar: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.once(signal, onSignal);
}

const draining = new WeakSet<Server>();

/** Whether `drainHttpServer` has begun on `server`: its answers then tell keep-alive clients to hang up. */
export function isDraining(server: Server): boolean {
  return draining.has(server);
}

/**
 * Stops accepting connections and lets the open ones end by themselves: a kept-alive connection
 * carries at most one more request, answered with `Connection: close` (start-http-app's onSend hook),
 * and the ones still idle after `idleMs` are closed then. Node's own `server.close()` closes idle
 * kept-alive connections at once, so a request a client is sending on one at that moment is dropped
 * (a reset, never an answer). Resolves once every connection has ended.
 */
export async function drainHttpServer(server: Server, idleMs: number): Promise<void> {
  draining.add(server);
  // net.Server's close, not http.Server's: it stops listening and leaves the open connections alone.
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, idleMs)))]);
  clearTimeout(timer);
  server.closeIdleConnections();
  await closed;
}
