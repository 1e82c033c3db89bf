import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker({ threshold: 3, cooldownMs: 1000, now: () => now });

  beforeEach(() => {
    now = 10_000;
  });

  it('stays closed below the threshold and a success resets the count', () => {
    const b = breaker();
    b.recordFailure();
    b.recordFailure();
    b.recordSuccess();
    b.recordFailure();
    b.recordFailure();
    expect(b.state).toBe('fechado');
    expect(b.acquire()).toBe('call');
  });

  it('opens after N consecutive failures and rejects until the cool-down ends', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure();
    expect(b.state).toBe('aberto');
    expect(b.acquire()).toBe('reject');
    now += 400;
    expect(b.retryAfterMs).toBe(600);
    now += 599;
    expect(b.acquire()).toBe('reject');
  });

  it('half-opens after the cool-down and lets exactly one trial through', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure();
    now += 1000;
    expect(b.state).toBe('meio-aberto');
    expect(b.acquire()).toBe('trial');
    expect(b.acquire()).toBe('reject');
  });

  it('closes when the trial succeeds', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure();
    now += 1000;
    b.acquire();
    b.recordSuccess();
    expect(b.state).toBe('fechado');
    expect(b.acquire()).toBe('call');
  });

  it('reopens for a whole cool-down when the trial fails', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure();
    now += 1500;
    expect(b.acquire()).toBe('trial');
    b.recordFailure();
    expect(b.state).toBe('aberto');
    expect(b.retryAfterMs).toBe(1000);
  });
});
