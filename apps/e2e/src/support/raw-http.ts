/**
 * Raw HTTP over a TCP socket: bytes sent as they are, for requests no HTTP client would send.
 */
import { connect } from 'node:net';

export interface RawResponse {
  /** The status of the first response, or undefined if the server closed without one. */
  status?: number;
  head: string;
  body: string;
  timedOut: boolean;
}

/**
 * Sends `bytes` as-is on a new TCP connection and reads until the server closes or `timeoutMs`.
 * With `halfClose` the client also ends its side right after the bytes (no more is coming); without
 * it the side stays open, as a real client's does while it waits for the answer: Node's HTTP server
 * takes a client's FIN for the client leaving and drops the request it has not answered yet.
 */
export function rawRequest(port: number, bytes: Buffer | string, timeoutMs = 3000, { halfClose = true } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timedOut = false;
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', () => {
      if (halfClose) socket.end(bytes);
      else socket.write(bytes);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: match ? Number(match[1]) : undefined, head, body: split >= 0 ? text.slice(split + 4) : '', timedOut });
    });
  });
}
