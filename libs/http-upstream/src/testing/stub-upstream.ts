import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type StubHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** An upstream stand-in on a real 127.0.0.1 socket, counting requests and TCP connections. */
export class StubUpstream {
  readonly requests: IncomingMessage[] = [];
  connections = 0;
  handler: StubHandler = (_, response) => response.end('[]');
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((request, response) => {
      this.requests.push(request);
      this.handler(request, response);
    });
    this.server.on('connection', (socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  listen(): Promise<this> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve(this)));
  }

  /** Replies with a JSON body (or any text) and a status. */
  reply(status: number, body: unknown): void {
    this.handler = (_, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
  }

  /** Accepts the request and never answers. */
  hang(): void {
    this.handler = () => undefined;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A loopback port with nothing listening: connections are refused at once. */
export async function refusedUrl(): Promise<string> {
  const stub = await new StubUpstream().listen();
  const url = stub.url;
  await stub.close();
  return url;
}
