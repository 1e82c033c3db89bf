export interface RequestLogEntry {
  method: string;
  url: string;
  status: number;
  ms: number;
  requestId: string;
}

/** Receives one entry per answered request. */
export type RequestLog = (entry: RequestLogEntry) => void;

/**
 * The default request log: one JSON line per request on stdout, in the same shape as the lines of
 * the app's Nest logger ({level, pid, timestamp, message, context}), so one parser reads both.
 *
 * Lines are written together once per turn of the event loop instead of one write per request,
 * which cost a large share of the throughput (docs/decisions.md). A line reaches stdout before the
 * next timers or I/O run, and whatever is pending is written synchronously when the process exits.
 */
export function createStdoutRequestLog(write: (text: string) => void = (text) => process.stdout.write(text)): RequestLog {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  process.once('exit', flush);
  return (entry) => {
    pending += `{"level":"log","pid":${process.pid},"timestamp":${Date.now()},"message":{"msg":"requisição","method":${JSON.stringify(entry.method)},"url":${JSON.stringify(entry.url)},"status":${entry.status},"ms":${entry.ms},"requestId":${JSON.stringify(entry.requestId)}},"context":"HTTP"}\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
