/**
 * The harness's load generator (support/load.ts) against a real socket: a request the server
 * drops, by closing the connection without an answer, must count as a failure (undici: "other side
 * closed"), never as a success or a silent retry. The fault suites' "zero failed requests" rests on this.
 */
import { createServer, Server } from 'node:net';
import { AddressInfo } from 'node:net';
import { failedRequests, failures, load } from '@desafios/testing';

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
