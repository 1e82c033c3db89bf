/**
 * Docker probes and faults for the suites: memory, inspect, SIGKILL, health and log waits, and a
 * measured `docker compose stop`.
 */
import { docker, inspect, waitFor } from '@desafios/testing';

/**
 * Resident memory of the service's own process in a container, in KiB: the child of Docker's init
 * (PID 1 with `init: true`), or PID 1 itself without an init. Healthcheck probes are not counted.
 */
export async function containerRssKiB(id: string): Promise<number> {
  const initPid = await inspect(id, '{{.State.Pid}}');
  const rows = (await docker(['top', id, '-o', 'pid,ppid,rss,comm'])).split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  const underInit = rows.some(([pid, , , comm]) => pid === initPid && comm === 'docker-init');
  const row = underInit ? rows.find(([, ppid]) => ppid === initPid) : rows.find(([pid]) => pid === initPid);
  const rss = Number(row?.[2]);
  if (!rss) throw new Error(`no main process in ${id}:\n${rows.join('\n')}`);
  return rss;
}

/**
 * SIGKILLs the main process of a container the way the kernel's OOM killer or a crash would: from
 * the host's PID namespace (a throwaway container with only CAP_KILL). `docker kill` would not do:
 * Docker counts it as a manual stop, and then no restart policy brings the container back.
 */
export async function crash(id: string): Promise<void> {
  const initPid = await inspect(id, '{{.State.Pid}}');
  if (!/^[1-9]\d*$/.test(initPid)) throw new Error(`container ${id} is not running (pid ${initPid})`);
  // With `init: true` PID 1 is Docker's init: the victim is the service's own process, its child.
  const rows = (await docker(['top', id, '-o', 'pid,ppid,comm'])).split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  const underInit = rows.some(([pid, , comm]) => pid === initPid && comm === 'docker-init');
  const pid = underInit ? (rows.find(([, ppid]) => ppid === initPid)?.[0] ?? initPid) : initPid;
  await docker([
    'run', '--rm', '--pid', 'host', '--network', 'none', '--cap-drop', 'ALL', '--cap-add', 'KILL',
    'node:24-bookworm-slim', 'node', '-e', `process.kill(${pid}, 'SIGKILL')`,
  ]);
}

/**
 * Waits until Docker reports the container healthy again (after `restartsBefore`, once its
 * RestartCount has gone past it, so a stale "healthy" right after a kill does not count); resolves
 * with the elapsed ms since `since`.
 */
export async function untilHealthy(id: string, since: number, timeoutMs = 60_000, restartsBefore?: number): Promise<number> {
  if (restartsBefore !== undefined) {
    await waitFor(`${id} restarted`, async () => (Number(await inspect(id, '{{.RestartCount}}')) > restartsBefore ? true : undefined), {
      timeoutMs,
      intervalMs: 50,
    });
  }
  await waitFor(
    `${id} healthy`,
    // A container without a HEALTHCHECK (a job) counts once it is running again.
    async () => (['healthy', 'running'].includes(await inspect(id, '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}')) ? true : undefined),
    { timeoutMs, intervalMs: 100 },
  );
  return Date.now() - since;
}

/** Waits until Docker reports the container's health as `status`; resolves with the elapsed ms since `since`. */
export async function untilHealth(id: string, status: 'healthy' | 'unhealthy', since: number, timeoutMs = 60_000): Promise<number> {
  await waitFor(`${id} ${status}`, async () => ((await inspect(id, '{{.State.Health.Status}}')) === status ? true : undefined), { timeoutMs, intervalMs: 250 });
  return Date.now() - since;
}

/** Text that must never appear in a log: a stack frame or one of the given secrets. */
export function leaksIn(log: string, secrets: string[] = []): string[] {
  return log
    .split('\n')
    .filter((line) => /^\s+at .+[(:]\d+|\\n\s+at /.test(line) || secrets.some((secret) => secret && line.includes(secret)));
}

/**
 * Stops a service with `docker compose stop` and measures, from Docker's own events, the time from
 * the stop signal to the container's death (the CLI's start-up on a busy machine is not counted).
 */
export async function measuredStop(
  project: { run(args: string[]): Promise<unknown> },
  service: string,
  id: string,
): Promise<{ signalToExitMs: number; wallMs: number; exitCode: number; signal: string; killed: boolean; signalAt: number }> {
  const since = Math.floor(Date.now() / 1000) - 1;
  const started = performance.now();
  await project.run(['stop', service]);
  const wallMs = Math.round(performance.now() - started);
  const events = await docker([
    'events', '--since', String(since), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', `container=${id}`, '--format', '{{.Action}} {{.TimeNano}} {{index .Actor.Attributes "signal"}}',
  ]);
  const parsed = events.split('\n').filter(Boolean).map((line) => line.split(' '));
  const kills = parsed.filter(([action]) => action === 'kill');
  const kill = kills[0];
  const die = parsed.filter(([action]) => action === 'die').at(-1);
  if (!kill || !die) throw new Error(`no kill/die events for ${service}:\n${events}`);
  const signalToExitMs = Math.round((Number(BigInt(die[1]) - BigInt(kill[1])) / 1e6) * 10) / 10;
  const exitCode = Number(await inspect(id, '{{.State.ExitCode}}'));
  // A "kill 9" after the stop signal means Docker ran out of patience and SIGKILLed it.
  const signalAt = Number(BigInt(kill[1]) / 1_000_000n);
  return { signalToExitMs, wallMs, exitCode, signal: kill[2] ?? '', killed: kills.some(([, , signal]) => signal === '9'), signalAt };
}

/** Waits until a container, started at or after its last start, has printed a line matching `pattern`. */
export async function untilLogged(id: string, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${id} logs ${pattern}`,
    async () => {
      const since = await inspect(id, '{{.State.StartedAt}}');
      const { execFile } = await import('node:child_process');
      const text = await new Promise<string>((resolve) =>
        execFile('docker', ['logs', '--since', since, id], { maxBuffer: 256 * 1024 * 1024 }, (_, stdout, stderr) => resolve(`${stdout}${stderr}`)),
      );
      return pattern.test(text) ? true : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}
