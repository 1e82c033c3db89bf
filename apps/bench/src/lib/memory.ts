/** Memory inside the bench's containers across repeated runs, and its verdict: RSS under target, live heap not growing. */
import { containerMemory, ContainerMemory, LIMITS, Service } from './stack';
import { record } from './report';
import { ROUND_DURATION } from './settings';
import { wrk } from './wrk';

/**
 * Memory of each of `read` (the loaded service by default) after the throughput run, then after
 * each of three more runs: growth would show here.
 */
export async function memoryRuns(loaded: Service, connections: number, read: Service[] = [loaded]): Promise<ContainerMemory[][]> {
  const reading = () => Promise.all(read.map((service) => containerMemory(service.name)));
  const readings = [await reading()];
  for (let i = 0; i < 3; i += 1) {
    await wrk(loaded.url(), connections, ROUND_DURATION);
    readings.push(await reading());
  }
  return read.map((_, i) => readings.map((each) => each[i]));
}

const MEMORY_TARGET_MB = 120;

/**
 * Whether the live heap grows: the least-squares line through the readings rises, over them, by
 * more than 10 % of the first and 2 MB. null (not judged) with fewer than 3 readings or one missing.
 */
export function heapGrows(heaps: (number | null | undefined)[]): boolean | null {
  if (heaps.length < 3 || heaps.some((heap) => heap === null || heap === undefined)) return null;
  const ys = heaps as number[];
  const meanX = (ys.length - 1) / 2;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = ys.reduce((sum, y, x) => sum + (x - meanX) * (y - meanY), 0) / ys.reduce((sum, _, x) => sum + (x - meanX) ** 2, 0);
  return slope * (ys.length - 1) > Math.max(2, ys[0] * 0.1);
}

/** One row per app: the highest RSS of the readings, and the live heap's trend over them. */
export function recordMemory(name: string, series: ContainerMemory[], extra = ''): void {
  const peak = Math.max(...series.map((m) => m.rss));
  const last = series.at(-1) as ContainerMemory;
  const heaps = series.map((m) => m.liveHeap);
  const grew = heapGrows(heaps);
  const value =
    `RSS ${series.map((m) => m.rss).join(' → ')} MB (por último: ${last.rssAnon} MB anônima + ${last.rssFile} MB de arquivos mapeados); ` +
    `cgroup ${series.map((m) => m.cgroup).join(' → ')} MB; heap vivo depois de um GC ${heaps.map((h) => h ?? 'n/d').join(' → ')} MB` +
    `${grew === null ? ' (crescimento não avaliado: menos de 3 leituras do heap)' : ''}${extra}`;
  const when = series.length > 1 ? `depois da carga e de mais ${series.length - 1} rodadas` : 'depois da carga';
  record(name, `memória no container (mem_limit ${LIMITS.memory}), ${when}`, value,
    `RSS ≤ ${MEMORY_TARGET_MB} MB, heap vivo sem crescer`, peak <= MEMORY_TARGET_MB && grew === false, { memory: series });
}

