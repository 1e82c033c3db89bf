import { UpstreamError } from './upstream.error';
import { UpstreamPolicy, UpstreamPolicyOptions } from './upstream.policy';

/** What the policy throws, without calling, while the circuit is open. */
function expectCircuitOpen(result: unknown): void {
  expect(result).toBeInstanceOf(UpstreamError);
  expect(result).toMatchObject({ kind: 'unavailable', reason: 'circuito aberto' });
}

const policy = (options: Partial<UpstreamPolicyOptions> = {}) =>
  new UpstreamPolicy({ timeoutMs: 60_000, retries: 0, retryDelayMs: 0, breakerThreshold: 3, breakerCooldownMs: 1000, ...options });

/** Runs one call through the policy; resolves with its outcome instead of rejecting. */
async function call(p: UpstreamPolicy, outcome: 'answer' | 'no answer'): Promise<{ called: boolean; result: unknown }> {
  let called = false;
  const result = await p
    .execute(async () => {
      called = true;
      if (outcome === 'no answer') throw new UpstreamError('unavailable', 'ECONNREFUSED');
      return 'answer';
    })
    .catch((error: unknown) => error);
  return { called, result };
}

describe('UpstreamPolicy circuit breaker', () => {
  const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);
  const open = async (p: UpstreamPolicy) => {
    for (let i = 0; i < 3; i++) await call(p, 'no answer');
  };

  beforeEach(() => jest.useFakeTimers({ now: 10_000 }));
  afterEach(() => jest.useRealTimers());

  it('stays closed below the threshold and a success resets the count', async () => {
    const p = policy();
    await call(p, 'no answer');
    await call(p, 'no answer');
    await call(p, 'answer');
    await call(p, 'no answer');
    await call(p, 'no answer');
    expect(p.state).toBe('closed');
    expect(await call(p, 'answer')).toEqual({ called: true, result: 'answer' });
  });

  it('opens after N consecutive failures and rejects until the cool-down ends', async () => {
    const p = policy();
    await open(p);
    expect(p.state).toBe('open');
    const rejected = await call(p, 'answer');
    expect(rejected.called).toBe(false);
    expectCircuitOpen(rejected.result);
    advance(400);
    expect(p.retryAfterMs).toBe(600);
    advance(599);
    expect((await call(p, 'answer')).called).toBe(false);
  });

  it('half-opens after the cool-down and lets exactly one trial through', async () => {
    const p = policy();
    await open(p);
    advance(1000);
    expect(p.state).toBe('half-open');
    let endTrial = () => undefined as void;
    const trial = p.execute(() => new Promise<string>((resolve) => (endTrial = () => resolve('answer'))));
    const second = await call(p, 'answer');
    expect(second.called).toBe(false);
    expectCircuitOpen(second.result);
    endTrial();
    await expect(trial).resolves.toBe('answer');
  });

  it('closes when the trial succeeds', async () => {
    const p = policy();
    await open(p);
    advance(1000);
    expect(await call(p, 'answer')).toEqual({ called: true, result: 'answer' });
    expect(p.state).toBe('closed');
    expect((await call(p, 'answer')).called).toBe(true);
  });

  it('reopens for a whole cool-down when the trial fails', async () => {
    const p = policy();
    await open(p);
    advance(1500);
    expect((await call(p, 'no answer')).called).toBe(true);
    expect(p.state).toBe('open');
    expect(p.retryAfterMs).toBe(1000);
  });
});

describe('UpstreamPolicy retry and timeout', () => {
  it('retries only an unavailable UpstreamError, `retries` times, `retryDelayMs` apart', async () => {
    const p = policy({ retries: 2, retryDelayMs: 30 });
    const attempts: number[] = [];
    const started = performance.now();
    await expect(
      p.execute(async (_, attempt) => {
        attempts.push(attempt);
        throw new UpstreamError('unavailable', 'ECONNRESET');
      }),
    ).rejects.toMatchObject({ kind: 'unavailable', reason: 'ECONNRESET' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 30 - 2);

    let calls = 0;
    const other = new Error('a bug, not a missing answer');
    await expect(
      p.execute(async () => {
        calls += 1;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
  });

  it('does not retry an invalid-response, and counts it as a sign of life that resets the consecutive failures', async () => {
    const p = policy({ retries: 2 });
    await call(p, 'no answer');
    await call(p, 'no answer');
    let calls = 0;
    const offContract = await p
      .execute(async () => {
        calls += 1;
        throw new UpstreamError('invalid-response', 'corpo não é JSON');
      })
      .catch((error: unknown) => error);
    expect(offContract).toBeInstanceOf(UpstreamError);
    expect(offContract).toMatchObject({ kind: 'invalid-response', reason: 'corpo não é JSON' });
    expect(calls).toBe(1);
    await call(p, 'no answer');
    await call(p, 'no answer');
    expect(p.state).toBe('closed');
    await call(p, 'no answer');
    expect(p.state).toBe('open');
  });

  it('aborts each attempt\'s signal after timeoutMs', async () => {
    const p = policy({ timeoutMs: 50, retries: 1 });
    const aborted: boolean[] = [];
    await expect(
      p.execute(
        (signal) =>
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => {
              aborted.push(signal.aborted);
              reject(new UpstreamError('unavailable', 'tempo esgotado'));
            }),
          ),
      ),
    ).rejects.toMatchObject({ reason: 'tempo esgotado' });
    expect(aborted).toEqual([true, true]);
  });
});
