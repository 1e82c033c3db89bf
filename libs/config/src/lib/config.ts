import { readFileSync } from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ConfigDefinition<S extends z.ZodRawShape> {
  readonly schema: z.ZodObject<S>;
  /** Variables that may also be given as `<NAME>_FILE`, a path whose contents are the value. */
  readonly fileVariables: readonly (keyof S & string)[];
}

export type ConfigOf<D> = D extends ConfigDefinition<infer S> ? z.output<z.ZodObject<S>> : never;

export function defineConfig<S extends z.ZodRawShape>(
  shape: S,
  fileVariables: readonly (keyof S & string)[] = [],
): ConfigDefinition<S> {
  return { schema: z.object(shape), fileVariables };
}

/** Docker secrets convention: `X_FILE=/run/secrets/x` stands for `X=<contents of that file>`. */
function resolveFileVariables(
  env: NodeJS.ProcessEnv,
  names: readonly string[],
): NodeJS.ProcessEnv {
  const resolved = { ...env };
  for (const name of names) {
    const path = env[`${name}_FILE`];
    if (path === undefined) continue;
    if (env[name] !== undefined) {
      throw new ConfigError(
        `${name} e ${name}_FILE estão ambas definidas; esperado apenas uma delas`,
      );
    }
    try {
      resolved[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'erro de leitura';
      throw new ConfigError(
        `${name}_FILE: não foi possível ler ${JSON.stringify(path)} (${code}); esperado o caminho de um arquivo legível`,
      );
    }
  }
  return resolved;
}

/** Validates the environment against a definition; throws one ConfigError naming every bad variable. */
export function parseConfig<S extends z.ZodRawShape>(
  definition: ConfigDefinition<S>,
  env: NodeJS.ProcessEnv,
): z.output<z.ZodObject<S>> {
  const input = resolveFileVariables(env, definition.fileVariables);
  const result = definition.schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(problems.join(' | '));
}

/**
 * The one place an app reads its environment. On a bad value it prints a single line to stderr
 * and exits with code 1: a misconfigured container should fail fast and say why, not log a stack.
 */
export function loadConfig<S extends z.ZodRawShape>(
  definition: ConfigDefinition<S>,
  env: NodeJS.ProcessEnv = process.env,
  exit: (code: number) => never = (code) => process.exit(code),
): z.output<z.ZodObject<S>> {
  try {
    return parseConfig(definition, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Erro de configuração: ${error.message}\n`);
    return exit(1);
  }
}
