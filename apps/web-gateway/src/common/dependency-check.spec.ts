import { describeError, runCheck } from './dependency-check';

describe('runCheck', () => {
  it('returns the value and how long it took', async () => {
    const outcome = await runCheck('db', 100, async () => 42);
    expect(outcome).toMatchObject({ ok: true, value: 42 });
    expect(outcome.ms).toBeGreaterThanOrEqual(0);
  });

  it('turns the work’s own error into a readable cause, never a rejection', async () => {
    await expect(runCheck('db', 100, () => Promise.reject(new Error('recusada')))).resolves.toMatchObject({
      ok: false,
      error: 'recusada',
    });
  });

  it('gives up on hanging work after the timeout, naming the dependency', async () => {
    const started = Date.now();
    const outcome = await runCheck('cache (Redis)', 50, () => new Promise<never>(() => undefined));
    expect(outcome).toMatchObject({ ok: false, error: 'cache (Redis): sem resposta em 50 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('describeError', () => {
  it('uses the inner errors when an AggregateError has no message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(describeError(new AggregateError([refused, refused]))).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('falls back to the error code, then the name', () => {
    expect(describeError(Object.assign(new Error(''), { code: 'ENOTFOUND' }))).toBe('ENOTFOUND');
    expect(describeError('texto')).toBe('texto');
  });
});
