/**
 * The harness's load generator (support/load.ts) against a real socket: a request the server
 * drops, by closing the connection without an answer, must count as a failure (undici: "other side
 * closed"), never as a success or a silent retry. The fault suites' "zero failed requests" rests on this.
 */
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { failedRequests, failures, fateOf, load } from '@desafios/testing';

describe('support/load: the load generator the fault, load and swarm suites share', () => {
  let server: Server;
  let received = 0;
  let dropped = 0;
  let url: string;

  beforeAll(async () => {
    // Answers odd requests with 200 and closes the connection (FIN, no answer) on even ones.
    server = createServer((socket) => {
      socket.on('data', () => {
        received += 1;
        if (received % 2 === 0) {
          dropped += 1;
          socket.end();
        } else {
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts every request closed without an answer as a failure, and nothing more', async () => {
    const outcome = await load(url, { connections: 2, durationMs: 10_000, maxRequests: 200, requestId: (n) => `gen-${n}`, record: true });

    expect(outcome.started).toBe(200);
    expect(received).toBe(200);
    expect(dropped).toBe(100);
    expect(outcome.ok).toBe(200 - dropped);
    expect(failures(outcome)).toBe(dropped);
    expect(outcome.requests).toHaveLength(200);
    expect(failedRequests(outcome)).toHaveLength(dropped);
    expect(failedRequests(outcome)[0]).toMatch(/^gen-\d+: http:\/\/127\.0\.0\.1:\d+\/ → UND_ERR_SOCKET$/);
  });
});

describe('support/load: what became of each request (fateOf), against real sockets', () => {
  const servers: Server[] = [];
  /** A raw TCP server on 127.0.0.1 that runs `onRequest` with each socket's request count (1-based). */
  const serve = async (onRequest: (socket: Socket, n: number) => void) => {
    const server = createServer((socket) => {
      let n = 0;
      socket.on('data', () => onRequest(socket, ++n));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };
  const fates = async (url: string, maxRequests: number) => {
    const outcome = await load(url, { connections: 1, durationMs: 10_000, maxRequests, timeoutMs: 1000, record: true });
    return outcome.requests.map(fateOf);
  };

  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  it('a request closed unanswered on a kept-alive connection is a reset, not a refusal', async () => {
    const url = await serve((socket, n) => (n === 1 ? socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok') : socket.end()));
    expect(await fates(url, 4)).toEqual(['answer', 'reset', 'answer', 'reset']);
  });

  it('an answer cut off mid-body is a reset', async () => {
    const url = await serve((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf'));
    expect(await fates(url, 1)).toEqual(['reset']);
  });

  it('no listener, or a connection closed before any byte came back, is a refusal', async () => {
    const closedAtOnce = await serve((socket) => socket.destroy());
    const nothing = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await fates(closedAtOnce, 2)).toEqual(['refused', 'refused']);
    expect(await fates(nothing, 1)).toEqual(['refused']);
  });

  it('no answer within the timeout is a timeout', async () => {
    const url = await serve(() => undefined);
    expect(await fates(url, 1)).toEqual(['timeout']);
  });
});
