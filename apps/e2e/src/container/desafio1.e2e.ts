import { ComposeProject, docker, freePort, get, inspect } from '@desafios/testing';
import { untilHealth } from '../support/containers';
import { clientGreetings } from '../support/core-checks';

describe('desafio1 (containers): greeting-server e curl-client na rede minha_rede', () => {
  let project: ComposeProject;
  let greetingPort: number;

  beforeAll(async () => {
    greetingPort = await freePort();
    project = new ComposeProject('desafios-e2e-d1', { GREETING_PORT: String(greetingPort), INTERVAL_MS: '1000' });
    await project.run(['--profile', 'desafio1', 'down', '-v', '--remove-orphans']);
    await project.run(['--profile', 'desafio1', 'up', '-d', '--wait', '--no-build']);
  });

  afterAll(async () => {
    await project.run(['--profile', 'desafio1', 'down', '-v', '--remove-orphans']);
  });

  it('the client logs at least two greetings fetched by service name across minha_rede', async () => {
    const greetings = await clientGreetings(project);
    expect(greetings.length).toBeGreaterThanOrEqual(2);
  });

  it('both containers are attached to the bridge network minha_rede', async () => {
    const network = JSON.parse(await docker(['network', 'inspect', 'desafios-e2e-d1_minha_rede']))[0];
    expect(network.Driver).toBe('bridge');
    const names = Object.values(network.Containers as Record<string, { Name: string }>).map((c) => c.Name);
    expect(names).toEqual(expect.arrayContaining([
      expect.stringContaining('greeting-server'),
      expect.stringContaining('curl-client'),
    ]));
  });

  it('no container runs as root', async () => {
    for (const service of ['greeting-server', 'curl-client']) {
      const { stdout } = await project.run(['exec', '-T', service, 'id', '-u']);
      expect({ service, uid: stdout.trim() }).toEqual({ service, uid: '1000' });
    }
  });

  it('a student can curl the server by name from inside the client container', async () => {
    const { stdout } = await project.run(['exec', '-T', 'curl-client', 'curl', '-s', 'http://greeting-server:8080']);
    expect(stdout).toBe('Olá do servidor NestJS no container!');
  });

  it('greeting-server is healthy and answers on the published loopback port', async () => {
    const [id] = await project.containerIds('greeting-server');
    expect(await docker(['inspect', '--format', '{{.State.Health.Status}}', id])).toBe('healthy');
    const response = await get(`http://127.0.0.1:${greetingPort}/`);
    expect(response.status).toBe(200);
    expect(response.body).toBe('Olá do servidor NestJS no container!');
  });

  it('curl-client is healthy: the poller refreshed its heartbeat, which says when the next answer is due', async () => {
    const [id] = await project.containerIds('curl-client');
    expect(await inspect(id, '{{.State.Health.Status}}')).toBe('healthy');
    const { stdout } = await project.run(['exec', '-T', 'curl-client', 'cat', '/tmp/heartbeat']);
    expect(Number(stdout) * 1000).toBeGreaterThan(Date.now());
  });

  it('curl-client turns unhealthy once greeting-server is gone long enough, and healthy again when it is back, never restarted', async () => {
    const [id] = await project.containerIds('curl-client');
    const restarts = await inspect(id, '{{.RestartCount}}');
    await project.run(['stop', 'greeting-server']);
    // Due time (interval + request timeout + slack), then three failed probes 5 s apart.
    await untilHealth(id, 'unhealthy', Date.now(), 60_000);
    await project.run(['start', 'greeting-server']);
    await untilHealth(id, 'healthy', Date.now(), 30_000);
    expect(await inspect(id, '{{.RestartCount}}')).toBe(restarts);
  });

  it('down leaves no container or network behind', async () => {
    await project.run(['--profile', 'desafio1', 'down', '-v', '--remove-orphans']);
    expect(await docker(['ps', '-a', '-q', '--filter', 'label=com.docker.compose.project=desafios-e2e-d1'])).toBe('');
    expect(await docker(['network', 'ls', '-q', '--filter', 'name=desafios-e2e-d1_minha_rede'])).toBe('');
  });
});
