import { spawn } from 'node:child_process';
import { join } from 'node:path';

// Runs exitOnSignal in a real child process: signals and exit codes cannot be faked in-process.
function runChild(closeMs: number, graceMs: number) {
  const code = `
    const { exitOnSignal } = require(${JSON.stringify(join(__dirname, 'graceful-shutdown.ts'))});
    exitOnSignal(() => new Promise((r) => setTimeout(r, ${closeMs})), { graceMs: ${graceMs}, log: (m) => console.log(m) });
    console.log('ready');
    setInterval(() => undefined, 1000);
  `;
  return spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', '-e', code], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function signalAndWait(closeMs: number, graceMs: number) {
  const child = runChild(closeMs, graceMs);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve) => {
    const check = () => (output.includes('ready') ? resolve() : setTimeout(check, 20));
    check();
  });
  const started = Date.now();
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, ms: Date.now() - started, output };
}

describe('exitOnSignal', () => {
  it('exits 0 once close() has finished', async () => {
    const { code, ms, output } = await signalAndWait(100, 2000);
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(90);
    expect(output).toContain('SIGTERM recebido');
  });

  it('exits 1 when close() takes longer than the grace period', async () => {
    const { code, ms, output } = await signalAndWait(10_000, 300);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(3000);
    expect(output).toContain('encerramento passou de 300 ms');
  });
});
