import { z } from 'zod';

/**
 * Builders for single environment variables. Each one turns the raw string (or its absence) into a
 * typed value, and on failure reports what is wrong and what is expected, so that
 * `parseConfig` can print one line that a student can act on.
 */

interface VariableOptions<T> {
  /** Used when the variable is not set at all. An empty string is never replaced by it. */
  fallback?: T;
  /** When true and there is no fallback, an unset variable yields `undefined`. */
  optional?: boolean;
  /** Secrets are never echoed in error messages. */
  secret?: boolean;
}

/** What a variable yields: `undefined` is part of the type only when it is `optional`. */
type Yield<T, O> = O extends { optional: true } ? T | undefined : T;

function variable<T, O extends VariableOptions<T> = VariableOptions<T>>(
  expected: string,
  parse: (raw: string) => T | undefined,
  options: O = {} as O,
) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): Yield<T, O> => {
      const fail = (problem: string): never => {
        ctx.addIssue({ code: 'custom', message: `${problem}; esperado ${expected}` });
        return z.NEVER;
      };
      if (raw === undefined) {
        if (options.fallback !== undefined) return options.fallback as Yield<T, O>;
        if (options.optional) return undefined as Yield<T, O>;
        return fail('não definida');
      }
      const trimmed = raw.trim();
      if (trimmed === '') return fail('está vazia');
      const value = parse(trimmed);
      if (value === undefined) {
        return fail(options.secret ? 'valor inválido' : `valor inválido ${echo(raw)}`);
      }
      return value as Yield<T, O>;
    });
}

/** The bad value, quoted and cut short: the error stays one short line even for a 5 KB value. */
const ECHO_MAX = 60;
function echo(raw: string): string {
  return raw.length > ECHO_MAX ? `${JSON.stringify(raw.slice(0, ECHO_MAX))}… (${raw.length} caracteres)` : JSON.stringify(raw);
}

function parseInteger(raw: string, min: number, max: number): number | undefined {
  if (!/^-?\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

export function integer<O extends VariableOptions<number> = VariableOptions<number>>(
  min: number,
  max: number,
  options: O = {} as O,
) {
  return variable<number, O>(
    `um número inteiro de ${min} a ${max}`,
    (raw) => parseInteger(raw, min, max),
    options,
  );
}

export function port(fallback?: number) {
  return integer(1, 65535, { fallback });
}

type TextOptions = VariableOptions<string> & { maxLength?: number };

export function text<O extends TextOptions = TextOptions>(options: O = {} as O) {
  const maxLength = options.maxLength ?? 1000;
  return variable<string, O>(
    options.secret ? 'um texto não vazio' : `um texto de até ${maxLength} caracteres`,
    (raw) => (raw.length <= maxLength ? raw : undefined),
    options,
  );
}

/** A host name or address: letters, digits, dots, hyphens, or an IPv6 literal. */
export function host(fallback?: string) {
  return variable(
    'um nome de host ou endereço IP (ex.: 0.0.0.0, localhost, db)',
    (raw) => (/^[A-Za-z0-9.-]{1,253}$/.test(raw) || /^[0-9a-fA-F:]+$/.test(raw) ? raw : undefined),
    { fallback },
  );
}

export function httpUrl(fallback?: string) {
  return variable(
    'uma URL http:// ou https:// (ex.: http://greeting-server:8080/)',
    (raw) => {
      try {
        const url = new URL(raw);
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
      } catch {
        return undefined;
      }
    },
    { fallback },
  );
}

/** A switch: true/false (also 1/0, on/off). */
export function flag(fallback?: boolean) {
  const values: Record<string, boolean> = { true: true, '1': true, on: true, false: false, '0': false, off: false };
  return variable<boolean>('true ou false', (raw) => values[raw.toLowerCase()], { fallback });
}

export function secret(fallback?: string) {
  return text({ fallback, secret: true, maxLength: 4096 });
}
