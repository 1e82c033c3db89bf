import { TimeoutError, withTimeout } from './with-timeout';

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
