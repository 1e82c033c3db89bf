/**
 * The bench's knobs, read from the environment in this one place and checked before anything runs:
 * - BENCH_ONLY=greeting,users,metrics,web-gateway,startup,sqlite,images,compose runs a subset and
 *   prints it without rewriting docs/;
 * - BENCH_ROUND_DURATION (5s) and BENCH_CURVE_DURATION (4s), wrk's -d for a round and a curve point.
 */
export const PARTS = ['greeting', 'users', 'metrics', 'web-gateway', 'startup', 'sqlite', 'images', 'compose'] as const;

/** Stops the bench at start with one line naming the variable and what it takes. */
function invalid(variable: string, expected: string): never {
  process.stderr.write(`bench: ${variable} inválida: esperado ${expected}\n`);
  process.exit(1);
}

function only(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => !(PARTS as readonly string[]).includes(part))) {
    invalid('BENCH_ONLY', `uma lista separada por vírgulas de ${PARTS.join(', ')} (recebido "${value}")`);
  }
  return parts;
}

function duration(variable: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*[sm]$/.test(value)) invalid(variable, `uma duração do wrk, como 5s ou 1m (recebido "${value}")`);
  return value;
}

export const ONLY = only(process.env.BENCH_ONLY);
export const ROUND_DURATION = duration('BENCH_ROUND_DURATION', process.env.BENCH_ROUND_DURATION, '5s');
export const CURVE_DURATION = duration('BENCH_CURVE_DURATION', process.env.BENCH_CURVE_DURATION, '4s');
