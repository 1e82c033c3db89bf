import { errnoCode, RetriesExhausted, retryWithin } from './startup-retry';

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('retryWithin', () => {
  it('returns the first success without waiting', async () => {
    const time = fakeTime();
    await expect(retryWithin(async () => 'ok', { timeoutMs: 10_000, ...time })).resolves.toBe('ok');
    expect(time.sleeps).toEqual([]);
  });

  it('tries again about every second until it works', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await retryWithin(
      async () => {
        if (++calls < 3) throw refused();
        return calls;
      },
      { timeoutMs: 10_000, ...time },
    );
    expect(result).toBe(3);
    expect(time.sleeps).toEqual([1000, 1000]);
  });

  it('gives up at the end of the budget, with the attempts, the time and the last error', async () => {
    const time = fakeTime();
    const error = await retryWithin(() => Promise.reject(refused()), { timeoutMs: 2500, ...time }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    const exhausted = error as RetriesExhausted;
    // Attempts at 0, 1000, 2000 and 2500 ms: the last pause is cut to what is left of the budget.
    expect(time.sleeps).toEqual([1000, 1000, 500]);
    expect(exhausted.attempts).toBe(4);
    expect(exhausted.elapsedMs).toBe(2500);
    expect(errnoCode(exhausted.lastError)).toBe('ECONNREFUSED');
  });

  it('a budget of 0 makes a single attempt', async () => {
    const time = fakeTime();
    const error = await retryWithin(() => Promise.reject(refused()), { timeoutMs: 0, ...time }).catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, elapsedMs: 0 });
  });

  it('throws a permanent error at once', async () => {
    const time = fakeTime();
    const wrongPassword = Object.assign(new Error('password authentication failed for user "desafios"'), { code: '28P01' });
    await expect(
      retryWithin(() => Promise.reject(wrongPassword), { timeoutMs: 10_000, isPermanent: () => true, ...time }),
    ).rejects.toBe(wrongPassword);
    expect(time.sleeps).toEqual([]);
  });
});
