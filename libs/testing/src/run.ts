import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface RunOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** How much of stdout the error keeps (the tail), for commands that print a lot. */
  stdoutTailChars?: number;
}

/**
 * Runs a command to its end and resolves with its output; on failure, rejects with one error that
 * names the command and carries its stderr and stdout (`<label> failed:\n<stderr>\n<stdout>`).
 */
export async function runCommand(
  file: string,
  args: string[],
  { cwd, env, timeoutMs = 60_000, stdoutTailChars }: RunOptions = {},
  label = `${file} ${args.join(' ')}`,
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(file, args, {
      cwd,
      env: env ? { ...process.env, ...env } : process.env,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = stdoutTailChars === undefined ? stdout : stdout.slice(-stdoutTailChars);
    throw new Error(`${label} failed:\n${stderr}\n${tail}`.trim(), { cause: error });
  }
}
