import { createStdoutRequestLog } from './request-log';

describe('createStdoutRequestLog', () => {
  it('writes the requests of one event-loop turn as JSON lines in a single write', async () => {
    const writes: string[] = [];
    const log = createStdoutRequestLog((text) => void writes.push(text));
    log({ method: 'GET', url: '/', status: 200, ms: 1.2, requestId: 'a' });
    log({ method: 'GET', url: '/x?q="<script>"\n', status: 404, ms: 0.4, requestId: 'b' });
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const lines = writes[0].trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'log', pid: process.pid, context: 'HTTP', timestamp: expect.any(Number),
        message: { msg: 'requisição', method: 'GET', url: '/', status: 200, ms: 1.2, requestId: 'a' } }),
      expect.objectContaining({ message: expect.objectContaining({ url: '/x?q="<script>"\n', status: 404, requestId: 'b' }) }),
    ]);
  });

  it('writes nothing when no request was answered', async () => {
    const writes: string[] = [];
    createStdoutRequestLog((text) => void writes.push(text));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([]);
  });
});
