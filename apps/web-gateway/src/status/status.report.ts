/** What GET /status returns and GET / renders: one entry per dependency, each with its own verdict. */
export interface CheckResult {
  ok: boolean;
  /** How long the check took, in milliseconds. */
  ms: number;
  /** Why it failed (a timeout, a refused connection…); absent when ok. */
  erro?: string;
}

export interface StatusReport {
  /** True when db, cache and the visit counter all answered: the HTTP status is 200, else 503. */
  ok: boolean;
  verificadoEm: string;
  timeoutMs: number;
  db: CheckResult & { versao?: string };
  cache: CheckResult & { chave?: string; ttlMs: number; valor?: string };
  visitas: CheckResult & { total?: number };
}

/** The dependencies that failed, by name, in page order. */
export function failuresOf(report: StatusReport): ('db' | 'cache' | 'visitas')[] {
  return (['db', 'cache', 'visitas'] as const).filter((name) => !report[name].ok);
}
