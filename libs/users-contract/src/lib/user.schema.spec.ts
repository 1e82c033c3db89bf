import { parseUsers, userSchema } from './user.schema';

const valid = { id: 1, nome: 'Ana Souza', ativo_desde: '2021-03-15' };

describe('userSchema', () => {
  it('accepts a user as the contract describes it', () => {
    expect(userSchema.parse(valid)).toEqual(valid);
  });

  it('drops unknown extra fields instead of failing (tolerant reader)', () => {
    expect(userSchema.parse({ ...valid, email: 'ana@example.test' })).toEqual(valid);
  });

  it.each([
    ['id as a string', { ...valid, id: '1' }],
    ['a fractional id', { ...valid, id: 1.5 }],
    ['a zero id', { ...valid, id: 0 }],
    ['a missing nome', { id: 1, ativo_desde: '2021-03-15' }],
    ['an empty nome', { ...valid, nome: '  ' }],
    ['a date with time', { ...valid, ativo_desde: '2021-03-15T10:00:00Z' }],
    ['a date in another format', { ...valid, ativo_desde: '15/03/2021' }],
    ['an impossible date', { ...valid, ativo_desde: '2021-02-30' }],
  ])('rejects %s', (_, user) => {
    expect(userSchema.safeParse(user).success).toBe(false);
  });
});

describe('parseUsers', () => {
  it('returns the users of a valid list', () => {
    expect(parseUsers([valid])).toEqual({ ok: true, users: [valid] });
  });

  it.each([
    ['an object instead of a list', { users: [valid] }, '(raiz)'],
    ['null', null, '(raiz)'],
    ['a bad item', [valid, { ...valid, id: 'x' }], '1.id'],
  ])('rejects %s, naming where', (_, body, where) => {
    const result = parseUsers(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(where);
  });
});
