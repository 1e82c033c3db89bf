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
