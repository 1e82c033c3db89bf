export interface RequestLogEntry {
  method: string;
  url: string;
  status: number;
  ms: number;
  requestId: string;
}

/** Receives one entry per answered request. */
export type RequestLog = (entry: RequestLogEntry) => void;

/** How long lines may wait for company before they are written together. */
export const FLUSH_MS = 25;
/** What one turn of the event loop must have gathered to be written at its end, without waiting. */
export const FLUSH_LENGTH = 1024;

/**
 * The default request log: one JSON line per request on stdout, in the same shape as the lines of
 * the app's Nest logger ({level, pid, timestamp, message, context}), so one parser reads both.
 *
 * Lines are written together instead of one write per request: each write is a system call and, in
 * a container, a wake-up of the runtime's log reader, which cost a large share of the throughput
 * (docs/decisions.md). A busy server answers many requests per turn of the event loop, and those
 * are written at the end of the turn; when a turn gathered less than FLUSH_LENGTH (a server
 * waiting on its database answers one request per turn), the lines wait up to FLUSH_MS for more.
 * Whatever is pending is written synchronously when the process exits.
 */
export function createStdoutRequestLog(write: (text: string) => void = (text) => process.stdout.write(text)): RequestLog {
  let pending = '';
  let endOfTurnScheduled = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  const endOfTurn = () => {
    endOfTurnScheduled = false;
    if (pending.length >= FLUSH_LENGTH) flush();
    // unref: a pending line never keeps the process alive; the exit handler writes it.
    else timer ??= setTimeout(flush, FLUSH_MS).unref();
  };
  process.once('exit', flush);
  return (entry) => {
    pending += `{"level":"log","pid":${process.pid},"timestamp":${Date.now()},"message":{"msg":"requisição","method":${JSON.stringify(entry.method)},"url":${JSON.stringify(entry.url)},"status":${entry.status},"ms":${entry.ms},"requestId":${JSON.stringify(entry.requestId)}},"context":"HTTP"}\n`;
    if (!endOfTurnScheduled) {
      endOfTurnScheduled = true;
      setImmediate(endOfTurn);
    }
  };
}
