import { AppProcess, freePort, get, spawnApp, startApp, stopAllApps } from '@desafios/testing';

const GREETING = /-> 200 em \d+ ms: "Olá do servidor NestJS no container!"/;
const FAILURE = /-> falhou em \d+ ms: ECONNREFUSED/;

describe('desafio1 (processos): greeting-server e curl-client no loopback', () => {
  afterEach(stopAllApps);

  it('the client logs the greeting at least twice', async () => {
    const port = await freePort();
    await spawnApp('greeting-server', { PORT: String(port) });
    const client = startApp('curl-client', { TARGET_URL: `http://127.0.0.1:${port}/`, INTERVAL_MS: '200' });
    const greetings = await client.waitForLines(GREETING, 2);
    expect(greetings).toHaveLength(2);
  });

  it('the client survives the server going away, logs the failures, and recovers when it returns', async () => {
    const port = await freePort();
    const server: AppProcess = await spawnApp('greeting-server', { PORT: String(port) });
    const client = startApp('curl-client', { TARGET_URL: `http://127.0.0.1:${port}/`, INTERVAL_MS: '200' });
    await client.waitForLines(GREETING, 1);

    server.kill('SIGTERM');
    expect((await server.exit()).code).toBe(0);
    await client.waitForLines(FAILURE, 2);
    expect(client.running).toBe(true);

    const greetingsBefore = client.lines(GREETING).length;
    await spawnApp('greeting-server', { PORT: String(port) });
    await client.waitForLines(GREETING, greetingsBefore + 2);
    expect(client.running).toBe(true);
  });

  it('MAX_REQUESTS makes the client exit 0 after that many responses', async () => {
    const port = await freePort();
    await spawnApp('greeting-server', { PORT: String(port) });
    const client = startApp('curl-client', {
      TARGET_URL: `http://127.0.0.1:${port}/`,
      INTERVAL_MS: '100',
      MAX_REQUESTS: '3',
    });
    expect(await client.exit()).toEqual({ code: 0, signal: null });
    expect(client.lines(GREETING)).toHaveLength(3);
  });

  it('SIGTERM ends both cleanly: exit 0, within 2 s', async () => {
    const port = await freePort();
    const server = await spawnApp('greeting-server', { PORT: String(port) });
    const client = startApp('curl-client', { TARGET_URL: `http://127.0.0.1:${port}/`, INTERVAL_MS: '100' });
    await client.waitForLines(GREETING, 1);
    // Draining of in-flight requests is proven in libs/server (a slow route); here: the real signal path.
    expect((await get(`http://127.0.0.1:${port}/`)).status).toBe(200);

    const started = Date.now();
    server.kill('SIGTERM');
    client.kill('SIGTERM');
    const [serverExit, clientExit] = await Promise.all([server.exit(), client.exit()]);
    expect(serverExit).toEqual({ code: 0, signal: null });
    expect(clientExit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(get(`http://127.0.0.1:${port}/`, { timeoutMs: 500 })).rejects.toThrow();
  });

  it.each([
    ['greeting-server', { PORT: 'oito mil' }, /^Erro de configuração: PORT: valor inválido "oito mil"; esperado um número inteiro de 1 a 65535$/],
    ['greeting-server', { HOST: '' }, /^Erro de configuração: HOST: está vazia; esperado/],
    ['curl-client', { TARGET_URL: 'greeting-server' }, /^Erro de configuração: TARGET_URL: valor inválido "greeting-server"; esperado uma URL/],
    ['curl-client', { INTERVAL_MS: '0' }, /^Erro de configuração: INTERVAL_MS: valor inválido "0"; esperado um número inteiro de 100 a 3600000$/],
  ])('%s with %j stops at start with one clear line and exit 1', async (app, env, line) => {
    const child = startApp(app, env as Record<string, string>);
    expect(await child.exit()).toEqual({ code: 1, signal: null });
    expect(child.output).toHaveLength(1);
    expect(child.output[0]).toMatch(line);
  });
});

