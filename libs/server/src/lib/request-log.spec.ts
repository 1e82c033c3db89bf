import { createStdoutRequestLog, FLUSH_LENGTH, FLUSH_MS } from './request-log';

const entry = (requestId: string, url = '/') => ({ method: 'GET', url, status: 200, ms: 1.2, requestId });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createStdoutRequestLog', () => {
  it('writes the requests answered within FLUSH_MS as JSON lines in a single write', async () => {
    const writes: string[] = [];
    const log = createStdoutRequestLog((text) => void writes.push(text));
    log(entry('a'));
    await new Promise((resolve) => setImmediate(resolve));
    // A later turn of the event loop still joins the same write.
    log({ method: 'GET', url: '/x?q="<script>"\n', status: 404, ms: 0.4, requestId: 'b' });
    expect(writes).toEqual([]);
    await sleep(FLUSH_MS + 20);
    expect(writes).toHaveLength(1);
    const lines = writes[0].trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'log', pid: process.pid, context: 'HTTP', timestamp: expect.any(Number),
        message: { msg: 'requisição', method: 'GET', url: '/', status: 200, ms: 1.2, requestId: 'a' } }),
      expect.objectContaining({ message: expect.objectContaining({ url: '/x?q="<script>"\n', status: 404, requestId: 'b' }) }),
    ]);
  });

  it('writes a turn that gathered FLUSH_LENGTH characters at its end, without waiting', async () => {
    const writes: string[] = [];
    const log = createStdoutRequestLog((text) => void writes.push(text));
    const url = `/${'x'.repeat(500)}`;
    const count = Math.ceil(FLUSH_LENGTH / 500);
    for (let i = 0; i < count; i += 1) log(entry(String(i), url));
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(writes[0].trimEnd().split('\n')).toHaveLength(count);
  });

  it('starts a new wait after a write: later lines are not lost', async () => {
    const writes: string[] = [];
    const log = createStdoutRequestLog((text) => void writes.push(text));
    log(entry('a'));
    await sleep(FLUSH_MS + 20);
    log(entry('b'));
    await sleep(FLUSH_MS + 20);
    expect(writes.map((text) => (JSON.parse(text) as { message: { requestId: string } }).message.requestId)).toEqual(['a', 'b']);
  });

  it('writes nothing when no request was answered', async () => {
    const writes: string[] = [];
    createStdoutRequestLog((text) => void writes.push(text));
    await sleep(FLUSH_MS + 20);
    expect(writes).toEqual([]);
  });
});
