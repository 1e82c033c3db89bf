import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { join } from 'node:path';
import { drainHttpServer } from './graceful-shutdown';

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

describe('drainHttpServer', () => {
  let server: Server;
  let port: number;
  beforeEach(async () => {
    server = createServer((_, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => server.closeAllConnections());

  const open = () => new Promise<Socket>((resolve, reject) => connect(port, '127.0.0.1', function (this: Socket) { resolve(this); }).once('error', reject));
  /** One GET on a kept-alive socket: its whole answer, or a rejection if the socket closes first. */
  const ask = (socket: Socket) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        if (text.endsWith('\r\n\r\nok')) {
          socket.off('data', onData).off('close', onClose);
          resolve(text);
        }
      };
      const onClose = () => reject(new Error(`closed without an answer (${JSON.stringify(text)})`));
      socket.on('data', onData).once('close', onClose);
      socket.write('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    });

  it("Node's own close drops a request sent on a kept-alive connection at that moment (why drain exists)", async () => {
    const socket = await open();
    await ask(socket);
    server.close();
    await expect(ask(socket)).rejects.toThrow('closed without an answer');
  });

  it('answers a request sent on a kept-alive connection after it began, refuses new connections, then ends', async () => {
    const socket = await open();
    await ask(socket);
    const hungUp = new Promise((resolve) => socket.once('end', resolve));
    const drained = drainHttpServer(server, 300);
    await expect(ask(socket)).resolves.toMatch(/^HTTP\/1.1 200 OK/);
    await expect(open()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const started = Date.now();
    await drained; // the idle kept-alive connection is closed after 300 ms
    expect(Date.now() - started).toBeLessThan(1000);
    await hungUp;
  });
});
