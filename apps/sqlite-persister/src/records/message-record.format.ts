import { MessageRecord } from './message-record.entity';

type Printable = Pick<MessageRecord, 'id' | 'message' | 'createdAt'>;

/** Keeps one row on one line even if MESSAGE holds a line break or a tab. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]/g, (char) => JSON.stringify(char).slice(1, -1));
}

/** `#<id> | <mensagem> | <criado_em em ISO 8601, UTC>` */
export function formatRecord(record: Printable): string {
  return `#${record.id} | ${oneLine(record.message)} | ${record.createdAt.toISOString()}`;
}

/** How many of the newest rows a run prints: the output stays a screenful however big the table gets. */
export const SHOWN_RECORDS = 10;

/** The rows given (the newest, oldest first), then the table's total as the last line; a note first when some are left out. */
export function formatReport(records: Printable[], total = records.length): string[] {
  const omitted = total - records.length;
  const note = omitted > 0 ? [`(${omitted} registro(s) mais antigo(s) não mostrado(s); os ${records.length} mais recentes:)`] : [];
  return [...note, ...records.map(formatRecord), `${total} registro(s)`];
}
