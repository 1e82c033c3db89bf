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

/** Every row, oldest first, then the total as the last line. */
export function formatReport(records: Printable[]): string[] {
  return [...records.map(formatRecord), `${records.length} registro(s)`];
}
