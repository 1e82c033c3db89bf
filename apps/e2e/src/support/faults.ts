/** Faults a suite injects: a container SIGKILLed while a load runs (and how the load overlapped it), a clean stop under load. */
import { failed, fateOf, inspect, load, LoadOutcome, LoadRequest, sleep, startLoad, untilStatus, type ComposeProject } from '@desafios/testing';
import { crash, measuredStop, untilHealthy, untilLogged } from './containers';
import type { Results } from './results';

/** How a load overlapped a SIGKILL: see `killUnderLoad`. */
export interface KillOverlap {
  /** Requests in flight across the kill: started before `crash` returned, ended after it was called. */
  inFlightAtKill: number;
  /** Requests that ended between the kill and the recovery with a network error, a non-2xx status, or slowly. */
  disturbed: number;
  /** Of those, network errors and non-2xx statuses (503s included). */
  failedInWindow: number;
  /** Requests started after the recovery (healthy again and the page 200) that got a 2xx. */
  okAfterRecovery: number;
}

export interface KillUnderLoad {
  outcome: LoadOutcome;
  overlap: KillOverlap;
  /** From the kill to Docker's "healthy" and to the first 200 of the page. */
  healthyMs: number;
  pageMs: number;
}

/**
 * SIGKILLs a container's main process while `connections` loops load `url`, and keeps the load on
 * until the container is healthy again, the page answers 200, and `afterMs` more have passed; so
 * the outcome shows the load across the whole fault: in flight at the kill, disturbed during the
 * outage, and served after the recovery. Bounded: the load stops at `maxMs` whatever happens, and
 * is always awaited before this returns or throws.
 */
export async function killUnderLoad(
  url: string,
  container: string,
  {
    connections,
    timeoutMs = 5000,
    warmMs = 1000,
    afterMs = 1000,
    slowMs = 1000,
    maxMs = 150_000,
  }: { connections: number; timeoutMs?: number; warmMs?: number; afterMs?: number; slowMs?: number; maxMs?: number },
): Promise<KillUnderLoad> {
  const restarts = Number(await inspect(container, '{{.RestartCount}}'));
  let stopAt: number | undefined;
  const burst = load(url, { connections, durationMs: maxMs, timeoutMs, record: true, errorPauseMs: 50, until: () => stopAt !== undefined && Date.now() >= stopAt });
  let killStart: number;
  let killEnd: number;
  let recoveredAt: number;
  let healthyMs: number;
  let pageMs: number;
  try {
    await sleep(warmMs);
    killStart = Date.now();
    await crash(container);
    killEnd = Date.now();
    healthyMs = await untilHealthy(container, killEnd, 60_000, restarts);
    pageMs = await untilStatus(url, 200, killEnd, 60_000);
    recoveredAt = Date.now();
  } catch (error) {
    stopAt = Date.now();
    await burst;
    throw error;
  }
  stopAt = recoveredAt + afterMs;
  const outcome = await burst;
  const requests = outcome.requests;
  const inWindow = requests.filter((r) => r.end >= killStart && r.end <= recoveredAt);
  const overlap: KillOverlap = {
    inFlightAtKill: requests.filter((r) => r.start < killEnd && r.end > killStart).length,
    disturbed: inWindow.filter((r) => failed(r) || r.end - r.start >= slowMs).length,
    failedInWindow: inWindow.filter(failed).length,
    okAfterRecovery: requests.filter((r) => r.start >= recoveredAt && !failed(r)).length,
  };
  return { outcome, overlap, healthyMs, pageMs };
}


/** How a recorded load fared across a stop that began at `stopBegan` and signalled the app at `signalAt`. */
export interface StopOverlap {
  sentBefore: number;
  /** Requests started before the signal that ended after it: the ones the app had to drain. */
  inFlightAtSignal: number;
  answeredAfter: number;
  refusedAfter: number;
  /** One line per request lost: sent before the stop and not answered in full with a 2xx, or sent after it and reset or timed out. */
  lost: string[];
}

export function stopOverlap(outcome: LoadOutcome, stopBegan: number, signalAt: number): StopOverlap {
  const line = (r: LoadRequest) => `${r.id} sent at ${r.start - stopBegan} ms: ${fateOf(r)} (${r.error ?? r.status}, ${r.bytes ?? 0}/${r.contentLength ?? '?'} B)`;
  const before = outcome.requests.filter((r) => r.start < stopBegan);
  const after = outcome.requests.filter((r) => r.start >= stopBegan);
  return {
    sentBefore: before.length,
    inFlightAtSignal: outcome.requests.filter((r) => r.start < signalAt && r.end > signalAt).length,
    answeredAfter: after.filter((r) => fateOf(r) === 'answer').length,
    refusedAfter: after.filter((r) => fateOf(r) === 'refused').length,
    lost: [...before.filter((r) => fateOf(r) !== 'answer' || failed(r)), ...after.filter((r) => ['reset', 'timeout'].includes(fateOf(r)))].map(line),
  };
}

/**
 * What a graceful stop owes its clients: every request sent before the stop began got a complete 2xx
 * answer, and every one sent after got a complete answer (any status) or was refused; none was reset
 * mid-answer, closed unanswered on a kept-alive connection, or left to time out. And the load spanned
 * the stop: requests in flight at the signal, and refused once the app was gone.
 */
export function expectNothingLost(overlap: StopOverlap): void {
  expect(overlap.lost).toEqual([]);
  expect(overlap.inFlightAtSignal).toBeGreaterThan(0);
  expect(overlap.refusedAfter).toBeGreaterThan(0);
}

/** A row's words for a stop under load. */
export function describeStopOverlap(overlap: StopOverlap): string {
  return `${overlap.sentBefore} requisições enviadas antes da parada (${overlap.inFlightAtSignal} em voo no sinal), depois ${overlap.answeredAfter} respondidas e ${overlap.refusedAfter} recusadas; perdidas (sem resposta completa, cortadas ou sem resposta no prazo): ${overlap.lost.length}`;
}

/**
 * `docker compose stop` of a booted service (its `ready` line logged): it must exit by its own
 * hand, code 0, in under 2 s of the signal. With `underLoad`, `connections` loops load its `url`
 * from 1 s before the stop to 0.5 s after it, and must lose nothing (`expectNothingLost`). Adds the
 * row to `results`, measured before it is checked.
 */
export async function expectCleanStop(
  results: Results,
  project: ComposeProject,
  service: string,
  container: string,
  ready: RegExp,
  underLoad?: { url: string; connections: number },
): Promise<void> {
  await untilLogged(container, ready);
  const running = underLoad && startLoad(underLoad.url, { connections: underLoad.connections, durationMs: 60_000, timeoutMs: 5000, record: true, errorPauseMs: 20 });
  let stop: Awaited<ReturnType<typeof measuredStop>>;
  let stopBegan: number;
  try {
    if (running) await sleep(1000);
    stopBegan = Date.now();
    stop = await measuredStop(project, service, container);
    if (running) await sleep(500);
  } finally {
    await running?.stop();
  }
  const overlap = running && stopOverlap(await running.done, stopBegan, stop.signalAt);
  results.add({
    category: 'falha',
    subject: service,
    scenario: `docker compose stop (sinal ${stop.signal})${underLoad ? ` sob carga (${underLoad.connections} conexões)` : ''}`,
    result: `parou ${stop.signalToExitMs} ms após o sinal (comando: ${stop.wallMs} ms), código ${stop.exitCode}${overlap ? `; ${describeStopOverlap(overlap)}` : ''}`,
    metrics: { stopMs: stop.signalToExitMs, ...(overlap && { inFlightLost: overlap.lost.length }) },
  });
  expect(stop.killed).toBe(false);
  expect(stop.exitCode).toBe(0);
  expect(stop.signalToExitMs).toBeLessThan(2000);
  if (overlap) expectNothingLost(overlap);
}
