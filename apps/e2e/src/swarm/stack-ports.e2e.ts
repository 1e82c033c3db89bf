/**
 * What a generated stack publishes, read back by `docker compose config` from render.mjs's output
 * (the stack swarm.sh deploys): Prometheus only when asked, and a header that names every published
 * port and says it listens on every interface of the node (Swarm has no host_ip), with the firewall advice.
 */
import { execFileSync } from 'node:child_process';
import { WORKSPACE_ROOT } from '@desafios/testing';

interface Stack {
  text: string;
  ports: Record<string, { target: number; published?: number; mode?: string }[]>;
}

function stack(desafio: string, env: Record<string, string> = {}): Stack {
  const text = execFileSync('node', ['deploy/swarm/render.mjs', '--stdout', desafio], {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, SWARM_PUBLISH_PROMETHEUS: '', ...env },
  });
  const config = JSON.parse(
    execFileSync('docker', ['compose', '-p', 'desafios-e2e-stack', '--project-directory', 'deploy/swarm', '-f', '-', 'config', '--format', 'json', '--no-interpolate'], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      input: text,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  ) as { services: Record<string, { ports?: Stack['ports'][string] }> };
  const ports = Object.fromEntries(Object.entries(config.services).map(([name, service]) => [name, service.ports ?? []]));
  return { text, ports };
}

const header = (text: string) => text.split('\n').filter((line) => line.startsWith('#')).join('\n');

describe.each([
  ['desafio3', 'web-gateway', 8888, 8080],
  ['desafio4', 'users-consumer', 5002, 5000],
])('%s stack: what it publishes, and says so', (desafio, entry, port, target) => {
  it(`publishes ${entry} alone by default (host mode, ${port}); Prometheus is not published`, () => {
    const { ports, text } = stack(desafio);
    const published = Object.entries(ports).filter(([, list]) => list.length > 0);
    expect(published).toEqual([[entry, [expect.objectContaining({ published: port, mode: 'host' })]]]);
    expect(header(text)).toMatch(/^# Portas publicadas: escutam em TODAS as interfaces do nó \(modo host: de cada nó que roda uma tarefa$/m);
    expect(header(text)).toContain(`#   ${entry} ${port}/tcp → ${target}, modo host`);
    expect(header(text)).toContain('#   prometheus: não publicado (SWARM_PUBLISH_PROMETHEUS=1 publica)');
    expect(header(text)).toContain(`#   ${entry}: security_opt, ports: host_ip 127.0.0.1 (o Swarm não aceita; todas as interfaces)`);
    expect(header(text)).toMatch(/firewall[\s\S]*DOCKER-USER/);
  });

  it('SWARM_PUBLISH_PROMETHEUS=1 publishes Prometheus on PROMETHEUS_PORT, and the header names it', () => {
    const { ports, text } = stack(desafio, { SWARM_PUBLISH_PROMETHEUS: '1', PROMETHEUS_PORT: '19999' });
    expect(ports.prometheus).toEqual([expect.objectContaining({ target: 9090, published: 19999, mode: 'host' })]);
    expect(header(text)).toContain('#   prometheus 19999/tcp → 9090, modo host');
  });
});
