import axios from 'axios';
import { createServer, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { DnsRoundRobin, resolveAll } from './dns-round-robin';
import { upstreamHttpOptions } from './upstream-http.options';
import { UpstreamError } from './upstream.error';
import { UpstreamPolicy } from './upstream.policy';

/** One "replica": a real HTTP server on its own loopback address, all of them on the same port. */
class Replica {
  requests = 0;
  connections = 0;
  hosts = new Set<string | undefined>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(readonly address: string) {
    this.server = createServer((incoming, response) => {
      this.requests += 1;
      this.hosts.add(incoming.headers.host);
      response.writeHead(200, { 'content-type': 'application/json', 'x-served-by': this.address });
      response.end(JSON.stringify([{ id: 1, nome: 'Ana Souza', ativo_desde: '2019-03-11' }]));
    });
    this.server.on('connection', (socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.address, () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A balancer and the undici Agent it fronts, as UpstreamDispatcher makes them. */
interface RoundRobin {
  balancer: DnsRoundRobin;
  dispatcher: Dispatcher;
}

/** GET through the dispatcher; resolves with who answered, or with the error code. */
async function get({ dispatcher }: RoundRobin, url: string): Promise<string> {
  const { origin, pathname } = new URL(url);
  try {
    const response = await dispatcher.request({ origin, path: pathname, method: 'GET' });
    await response.body.dump();
    return String(response.headers['x-served-by']);
  } catch (error) {
    return `error ${(error as NodeJS.ErrnoException).code}`;
  }
}

const tally = (answers: string[]) => answers.reduce<Record<string, number>>((acc, who) => ({ ...acc, [who]: (acc[who] ?? 0) + 1 }), {});

describe('DnsRoundRobin over an undici Agent, against real sockets on 127.0.0.x', () => {
  const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
  let replicas: Replica[];
  let port: number;
  let dns: string[];
  let lookups: number;
  const made: RoundRobin[] = [];

  function agent(options: { refreshMs?: number; ejectMs?: number } = {}): RoundRobin {
    const balancer = new DnsRoundRobin({
      refreshMs: options.refreshMs ?? 60_000,
      ejectMs: options.ejectMs ?? 60_000,
      resolve: async (hostname) => {
        lookups += 1;
        if (hostname !== 'users-service') throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        return [...dns];
      },
    });
    const roundRobin = { balancer, dispatcher: balancer.agent() };
    made.push(roundRobin);
    return roundRobin;
  }

  beforeEach(async () => {
    replicas = ADDRESSES.map((address) => new Replica(address));
    port = await replicas[0].listen(0);
    for (const replica of replicas.slice(1)) await replica.listen(port);
    dns = [...ADDRESSES].reverse();
    lookups = 0;
  });

  afterEach(async () => {
    await Promise.all(made.splice(0).map(({ dispatcher }) => dispatcher.destroy()));
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('takes turns over every address, with keep-alive connections per address', async () => {
    const rr = agent();
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) answers.push(await get(rr, `http://users-service:${port}/users`));
    expect(tally(answers)).toEqual({ '127.0.0.1': 10, '127.0.0.2': 10, '127.0.0.3': 10 });
    // undici's pool counts a connection busy until its 'drain' event, so a call made right after the
    // first one can open a second connection; after that, both are reused.
    for (const replica of replicas) expect(replica.connections).toBeLessThanOrEqual(2);
    expect(lookups).toBe(1);
    // The servers still see the name the client asked for, not the address it connected to.
    for (const replica of replicas) expect([...replica.hosts]).toEqual([`users-service:${port}`]);
  });

  it('spreads concurrent requests too', async () => {
    const rr = agent();
    await get(rr, `http://users-service:${port}/users`);
    const answers = await Promise.all(Array.from({ length: 60 }, () => get(rr, `http://users-service:${port}/users`)));
    const counts = tally(answers);
    for (const address of ADDRESSES) expect(counts[address]).toBeGreaterThanOrEqual(19);
  });

  it('follows the DNS answer: a new replica gets traffic, a removed one gets none', async () => {
    const rr = agent({ refreshMs: 50 });
    dns = ['127.0.0.1', '127.0.0.2'];
    for (let i = 0; i < 4; i++) await get(rr, `http://users-service:${port}/users`);
    expect(replicas.map((replica) => replica.requests)).toEqual([2, 2, 0]);

    dns = ['127.0.0.2', '127.0.0.3'];
    await new Promise((resolve) => setTimeout(resolve, 80));
    await get(rr, `http://users-service:${port}/users`); // triggers the new lookup
    const before = replicas.map((replica) => replica.requests);
    for (let i = 0; i < 10; i++) await get(rr, `http://users-service:${port}/users`);
    const after = replicas.map((replica, i) => replica.requests - before[i]);
    expect(after).toEqual([0, 5, 5]);
    expect(rr.balancer.addressesOf('users-service')).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('skips an address that refused a connection, for ejectMs', async () => {
    await replicas[1].close();
    const rr = agent({ ejectMs: 60_000 });
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push(await get(rr, `http://users-service:${port}/users`));
    expect(tally(answers)).toEqual({ '127.0.0.1': 10, '127.0.0.3': 9, 'error ECONNREFUSED': 1 });
  });

  it('tries an ejected address again once ejectMs has passed', async () => {
    await replicas[1].close();
    const rr = agent({ ejectMs: 100 });
    for (let i = 0; i < 3; i++) await get(rr, `http://users-service:${port}/users`);
    replicas[1] = new Replica('127.0.0.2');
    await replicas[1].listen(port);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await get(rr, `http://users-service:${port}/users`));
    expect(tally(answers)).toEqual({ '127.0.0.1': 2, '127.0.0.2': 2, '127.0.0.3': 2 });
  });

  it('a replica that hangs up makes the next request look the name up again, not dial the old address', async () => {
    const rr = agent(); // refreshMs of a minute: only the hang-up can trigger the new lookup
    dns = ['127.0.0.1'];
    expect(await get(rr, `http://users-service:${port}/users`)).toBe('127.0.0.1');
    expect(lookups).toBe(1);

    // The service is stopped: it closes its kept-alive connections and leaves DNS.
    dns = [];
    await replicas[0].close();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = Date.now();
    expect(await get(rr, `http://users-service:${port}/users`)).toBe('error ENOTFOUND');
    expect(Date.now() - started).toBeLessThan(500);
    expect(lookups).toBe(2);
  });

  it('reports a name that does not resolve as ENOTFOUND', async () => {
    expect(await get(agent(), `http://no-such-host:${port}/users`)).toBe('error ENOTFOUND');
  });

  it('leaves IP-literal hosts to the plain agent: no lookup, connections reused', async () => {
    const rr = agent();
    for (let i = 0; i < 10; i++) expect(await get(rr, `http://127.0.0.3:${port}/users`)).toBe('127.0.0.3');
    expect(lookups).toBe(0);
    expect(replicas[2].connections).toBeLessThanOrEqual(2);
  });

  it('resolves real names with dns.lookup (all addresses)', async () => {
    await expect(resolveAll('localhost')).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]));
  });

  it('with UpstreamPolicy: a dead replica costs nothing when the retry goes to the next address', async () => {
    await replicas[0].close();
    const rr = agent();
    const http = axios.create(upstreamHttpOptions({ baseURL: `http://users-service:${port}`, timeoutMs: 1000, maxBodyBytes: 1024 * 1024 }, rr.dispatcher));
    const policy = new UpstreamPolicy({ timeoutMs: 1000, retries: 1, retryDelayMs: 100, breakerThreshold: 3, breakerCooldownMs: 1000 });
    const list = () =>
      policy.execute(async (signal) => {
        try {
          return JSON.parse((await http.request<string>({ url: 'users', signal })).data) as unknown[];
        } catch (error) {
          throw UpstreamError.from(error);
        }
      });
    for (let i = 0; i < 20; i++) await expect(list()).resolves.toHaveLength(1);
    expect(replicas[1].requests + replicas[2].requests).toBe(20);
    expect(Math.abs(replicas[1].requests - replicas[2].requests)).toBeLessThanOrEqual(1);
    expect(policy.state).toBe('closed');
  });
});
