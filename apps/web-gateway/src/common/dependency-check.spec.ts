import { describeError, runCheck, TimeoutError, withTimeout } from './dependency-check';

describe('runCheck', () => {
  it('returns the value and how long it took', async () => {
    const outcome = await runCheck('db', 100, async () => ({ value: 42 }));
    expect(outcome).toMatchObject({ ok: true, value: 42 });
    expect(outcome.ms).toBeGreaterThanOrEqual(0);
  });

  it('turns the work’s own error into a readable cause, never a rejection', async () => {
    await expect(runCheck('db', 100, () => Promise.reject(new Error('recusada')))).resolves.toMatchObject({
      ok: false,
      erro: 'recusada',
    });
  });

  it('gives up on hanging work after the timeout, naming the dependency', async () => {
    const started = Date.now();
    const outcome = await runCheck('cache (Redis)', 50, () => new Promise<never>(() => undefined));
    expect(outcome).toMatchObject({ ok: false, erro: 'cache (Redis): sem resposta em 50 ms' });
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

  it('takes the first line of the message (at most 120 characters), else the code', () => {
    expect(describeError(Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(describeError(new Error('Connection terminated due to connection timeout\nmais'))).toBe(
      'Connection terminated due to connection timeout',
    );
    expect(describeError(new Error('x'.repeat(300)))).toHaveLength(121);
    expect(describeError('texto')).toBe('texto');
  });
});

describe('withTimeout', () => {
  it('resolves with the value when the work finishes in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 100, 'db')).resolves.toBe(42);
  });

  it('passes the work’s own error through', async () => {
    await expect(withTimeout(Promise.reject(new Error('recusada')), 100, 'db')).rejects.toThrow('recusada');
  });

  it('rejects with a TimeoutError naming the dependency when the work hangs', async () => {
    const started = Date.now();
    const never = new Promise<never>(() => undefined);
    const error = await withTimeout(never, 50, 'cache').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('cache: sem resposta em 50 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
