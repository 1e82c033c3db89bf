import type { z } from 'zod';
import { ConfigDefinition, ConfigError, loadConfig, parseConfig } from './config';

// Helpers for the specs of config schemas: this lib's own and the apps' app.config.spec.ts.

/** The one-line message of the ConfigError that `env` causes; fails the test if it parses. */
export function configErrorFor<S extends z.ZodRawShape>(definition: ConfigDefinition<S>, env: NodeJS.ProcessEnv): string {
  try {
    parseConfig(definition, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
  throw new Error('expected a ConfigError');
}

/** Runs loadConfig with a fake exit: returns what it wrote to stderr and the exit code it asked for. */
export function loadConfigFailure<S extends z.ZodRawShape>(definition: ConfigDefinition<S>, env: NodeJS.ProcessEnv) {
  const writes: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: unknown) => writes.push(String(chunk)) > 0) as typeof process.stderr.write;
  let exitCode: number | undefined;
  try {
    loadConfig(definition, env, (code): never => {
      exitCode = code;
      throw new Error(`exit ${code}`);
    });
  } catch (error) {
    if (exitCode === undefined) throw error;
  } finally {
    process.stderr.write = write;
  }
  return { writes, exitCode };
}
