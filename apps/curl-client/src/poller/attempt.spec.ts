import { describeFailure, formatAttempt } from './attempt';

const at = new Date('2026-01-02T03:04:05.006Z');

describe('formatAttempt', () => {
  it('shows time, status, latency and body of a response', () => {
    expect(
      formatAttempt({ ok: true, at, url: 'http://s:8080/', status: 200, latencyMs: 4, body: 'Olá!\n' }),
    ).toBe('[2026-01-02T03:04:05.006Z] GET http://s:8080/ -> 200 em 4 ms: "Olá!"');
  });

  it('shows the failure instead of a status', () => {
    expect(formatAttempt({ ok: false, at, url: 'http://s:8080/', latencyMs: 2, error: 'ECONNREFUSED' })).toBe(
      '[2026-01-02T03:04:05.006Z] GET http://s:8080/ -> falhou em 2 ms: ECONNREFUSED',
    );
  });

  it('cuts a long body so one attempt stays one readable line', () => {
    const line = formatAttempt({ ok: true, at, url: 'u', status: 200, latencyMs: 1, body: 'x\n'.repeat(500) });
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(400);
  });
});

describe('describeFailure', () => {
  it('names the socket error hidden in fetch’s cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeFailure(new TypeError('fetch failed', { cause }))).toBe(
      'ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:1)',
    );
  });

  it('says a timeout is a timeout', () => {
    expect(describeFailure(new DOMException('The operation timed out', 'TimeoutError'))).toBe('tempo esgotado');
  });
});
