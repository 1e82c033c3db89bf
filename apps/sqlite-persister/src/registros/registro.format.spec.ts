import { formatRegistro, formatRelatorio } from './registro.format';

const at = new Date('2026-01-31T12:34:56.789Z');

describe('formatRegistro', () => {
  it('shows id, mensagem and criado_em (ISO 8601, UTC) on one line', () => {
    expect(formatRegistro({ id: 7, mensagem: 'Dado persistido!', criadoEm: at })).toBe(
      '#7 | Dado persistido! | 2026-01-31T12:34:56.789Z',
    );
  });

  it('escapes line breaks and tabs so that a row never spans two lines', () => {
    expect(formatRegistro({ id: 1, mensagem: 'a\nb\r\tc', criadoEm: at })).toBe(
      '#1 | a\\nb\\r\\tc | 2026-01-31T12:34:56.789Z',
    );
  });
});

describe('formatRelatorio', () => {
  it('lists every row in the given order, then the total', () => {
    expect(
      formatRelatorio([
        { id: 1, mensagem: 'um', criadoEm: at },
        { id: 2, mensagem: 'dois', criadoEm: at },
      ]),
    ).toEqual(['#1 | um | 2026-01-31T12:34:56.789Z', '#2 | dois | 2026-01-31T12:34:56.789Z', '2 registro(s)']);
  });

  it('prints only the total for an empty table', () => {
    expect(formatRelatorio([])).toEqual(['0 registro(s)']);
  });
});
