import { formatRecord, formatReport } from './message-record.format';

const at = new Date('2026-01-31T12:34:56.789Z');

describe('formatRecord', () => {
  it('shows id, mensagem and criado_em (ISO 8601, UTC) on one line', () => {
    expect(formatRecord({ id: 7, message: 'Dado persistido!', createdAt: at })).toBe(
      '#7 | Dado persistido! | 2026-01-31T12:34:56.789Z',
    );
  });

  it('escapes line breaks and tabs so that a row never spans two lines', () => {
    expect(formatRecord({ id: 1, message: 'a\nb\r\tc', createdAt: at })).toBe(
      '#1 | a\\nb\\r\\tc | 2026-01-31T12:34:56.789Z',
    );
  });
});

describe('formatReport', () => {
  it('lists every row in the given order, then the total', () => {
    expect(
      formatReport([
        { id: 1, message: 'um', createdAt: at },
        { id: 2, message: 'dois', createdAt: at },
      ]),
    ).toEqual(['#1 | um | 2026-01-31T12:34:56.789Z', '#2 | dois | 2026-01-31T12:34:56.789Z', '2 registro(s)']);
  });

  it('says how many older rows it left out when given only the newest', () => {
    expect(formatReport([{ id: 999, message: 'nove', createdAt: at }, { id: 1000, message: 'mil', createdAt: at }], 1000)).toEqual([
      '(998 registro(s) mais antigo(s) não mostrado(s); os 2 mais recentes:)',
      '#999 | nove | 2026-01-31T12:34:56.789Z',
      '#1000 | mil | 2026-01-31T12:34:56.789Z',
      '1000 registro(s)',
    ]);
  });

  it('prints only the total for an empty table', () => {
    expect(formatReport([])).toEqual(['0 registro(s)']);
  });
});
