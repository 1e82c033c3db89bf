import { requestIdFor } from './request-id';

describe('requestIdFor', () => {
  it('keeps a safe incoming X-Request-Id', () => {
    expect(requestIdFor({ headers: { 'x-request-id': 'abc-123_x.y:z' } })).toBe('abc-123_x.y:z');
  });

  it.each([
    ['a log-injection attempt', 'ok\n{"level":"error"}'],
    ['an over-long value', 'a'.repeat(129)],
    ['an empty value', ''],
    ['HTML', '<script>'],
  ])('replaces %s with a fresh UUID', (_, given) => {
    const id = requestIdFor({ headers: { 'x-request-id': given } });
    expect(id).not.toBe(given);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates one when none is given', () => {
    expect(requestIdFor({ headers: {} })).toMatch(/^[0-9a-f-]{36}$/);
  });
});
