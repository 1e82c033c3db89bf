/** Memory of an app the bench started: RSS after the load, and its live heap once garbage is collected. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppProcess } from '../../e2e/src/support/processes';
import { sleep } from '../../e2e/src/support/wait';
import { record, round } from './report';

/** Node flags for every app the bench measures: heap-probe.cjs answers SIGUSR2 with its live heap. */
export const HEAP_PROBE = ['--expose-gc', '-r', join(__dirname, 'heap-probe.cjs')];

export interface Memory {
  rss: number;
  liveHeap: number | null;
  rssAfterGc: number | null;
}

export async function memory(app: AppProcess): Promise<Memory> {
  const status = readFileSync(`/proc/${app.pid}/status`, 'utf8');
  const rss = round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024);
  const before = app.lines(/heap-probe /).length;
  app.kill('SIGUSR2');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const latest = app.lines(/heap-probe /).slice(before).at(-1);
    if (latest !== undefined) {
      const probe = JSON.parse(latest.replace(/^.*heap-probe /, '')) as { heapUsedAfter: number; rssAfter: number };
      return { rss, liveHeap: round(probe.heapUsedAfter / 2 ** 20), rssAfterGc: round(probe.rssAfter / 2 ** 20) };
    }
    await sleep(50);
  }
  return { rss, liveHeap: null, rssAfterGc: null };
}

export function recordMemory(name: string, mem: Memory): void {
  const detail = mem.liveHeap === null ? '' : ` (heap vivo depois de um GC: ${mem.liveHeap} MB)`;
  record(name, 'RSS depois da carga', `${mem.rss} MB${detail}`, '≤ 120 MB', mem.rss <= 120, { memory: mem });
}
