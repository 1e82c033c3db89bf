import axios, { AxiosError, AxiosInstance, isCancel } from 'axios';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { refusedUrl, StubUpstream } from '../testing/stub-upstream';
import { undiciAdapter } from './undici.adapter';

describe('undiciAdapter against a real HTTP server', () => {
  let stub: StubUpstream;
  let agent: Agent;
  let http: AxiosInstance;

  /** What a call threw, as an AxiosError. */
  async function rejection(call: Promise<unknown>): Promise<AxiosError> {
    const error = await call.then(() => undefined, (e: unknown) => e);
    expect(axios.isAxiosError(error)).toBe(true);
    return error as AxiosError;
  }

  beforeEach(async () => {
    stub = await new StubUpstream().listen();
    agent = new Agent();
    http = axios.create({ baseURL: `${stub.url}api`, adapter: undiciAdapter(agent), responseType: 'text' });
  });

  afterEach(async () => {
    await agent.destroy();
    await stub.close();
  });

  it('sends the method, the path under baseURL, the query and the headers; returns status, headers and the body as text', async () => {
    stub.handler = (request, response) => {
      response.writeHead(201, { 'content-type': 'text/plain', 'x-seen': `${request.method} ${request.url}` });
      response.end('olá, mundo');
    };
    const response = await http.get<string>('/users?limit=2', { headers: { 'x-request-id': 'r-1' } });
    expect(response.status).toBe(201);
    expect(response.data).toBe('olá, mundo');
    expect(response.headers['x-seen']).toBe('GET /api/users?limit=2');
    expect(stub.requests[0].headers['x-request-id']).toBe('r-1');
  });

  it('returns the response headers as axios does: case-insensitive, repeated ones as a list, values without surrounding blanks', async () => {
    // A raw socket: node:http would tidy the header values before they reach undici's parser.
    const server = createServer((socket) => {
      socket.once('data', () =>
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Padded: \t valor \t\r\nContent-Length: 2\r\n\r\n{}'),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { headers } = await http.get<string>(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
      expect(headers).toBeInstanceOf(axios.AxiosHeaders);
      const axiosHeaders = headers as InstanceType<typeof axios.AxiosHeaders>;
      expect(axiosHeaders.get('CONTENT-TYPE')).toBe('application/json');
      expect(axiosHeaders.getContentType()).toBe('application/json');
      expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
      expect(headers['x-padded']).toBe('valor');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends a string body (axios has already serialised objects to JSON)', async () => {
    let received = '';
    stub.handler = (request, response) => {
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (received += chunk));
      request.on('end', () => response.end('ok'));
    };
    await http.post('users', { nome: 'Ana' });
    expect(JSON.parse(received)).toEqual({ nome: 'Ana' });
    expect(stub.requests[0].headers['content-type']).toBe('application/json');
  });

  it('an absolute url replaces baseURL', async () => {
    const other = await new StubUpstream().listen();
    try {
      await http.get(`${other.url}health`);
      expect(other.requests.map((request) => request.url)).toEqual(['/health']);
      expect(stub.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('rejects a status that validateStatus refuses, with the response attached', async () => {
    stub.reply(503, { erro: 'fora' });
    const error = await rejection(http.get('users'));
    expect(error.code).toBe(AxiosError.ERR_BAD_RESPONSE);
    expect(error.response?.status).toBe(503);
  });

  it('cuts a body over maxContentLength: ERR_BAD_RESPONSE', async () => {
    stub.reply(200, 'x'.repeat(64 * 1024));
    const error = await rejection(http.get('users', { maxContentLength: 1024 }));
    expect(error.code).toBe(AxiosError.ERR_BAD_RESPONSE);
    expect(error.message).toBe('maxContentLength size of 1024 exceeded');
  });

  it('an aborted signal is a CanceledError', async () => {
    stub.hang();
    const error = await rejection(http.get('users', { signal: AbortSignal.timeout(100) }));
    expect(isCancel(error)).toBe(true);
  });

  it('timeout bounds the wait for the answer: ETIMEDOUT', async () => {
    stub.hang();
    const started = performance.now();
    const error = await rejection(http.get('users', { timeout: 200 }));
    expect(error.code).toBe(AxiosError.ETIMEDOUT);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('a refused connection keeps the system error as its cause', async () => {
    const error = await rejection(http.get(`${await refusedUrl()}users`));
    expect(error.code).toBe('ECONNREFUSED');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('a response head over 16 KiB fails as a transport error, not as an answer', async () => {
    stub.handler = (_, response) => {
      response.setHeader('x-big', 'y'.repeat(64 * 1024));
      response.end('[]');
    };
    const error = await rejection(http.get('users'));
    expect(error.response).toBeUndefined();
    expect(error.code).toBe('UND_ERR_HEADERS_OVERFLOW');
  });
});
