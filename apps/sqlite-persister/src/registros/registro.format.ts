import { Registro } from './registro.entity';

/** Keeps one row on one line even if MESSAGE holds a line break or a tab. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]/g, (char) => JSON.stringify(char).slice(1, -1));
}

/** `#<id> | <mensagem> | <criado_em em ISO 8601, UTC>` */
export function formatRegistro(registro: Pick<Registro, 'id' | 'mensagem' | 'criadoEm'>): string {
  return `#${registro.id} | ${oneLine(registro.mensagem)} | ${registro.criadoEm.toISOString()}`;
}

/** Every row, oldest first, then the total as the last line. */
export function formatRelatorio(registros: Pick<Registro, 'id' | 'mensagem' | 'criadoEm'>[]): string[] {
  return [...registros.map(formatRegistro), `${registros.length} registro(s)`];
}
