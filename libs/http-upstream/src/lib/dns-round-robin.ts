import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, Dispatcher } from 'undici';
import { WatchedHandler, withHost } from './watched-handler';

/** Every address a host name resolves to (IPv4 and IPv6), as the system resolver gives them. */
export type ResolveAll = (hostname: string) => Promise<string[]>;

export const resolveAll: ResolveAll = async (hostname) => (await lookup(hostname, { all: true })).map(({ address }) => address);

export interface DnsRoundRobinOptions {
  /** How long a resolved address list is used before the name is resolved again. */
  refreshMs?: number;
  /** How long an address whose request got no answer (refused, unreachable, reset, timed out) is skipped. */
  ejectMs?: number;
  resolve?: ResolveAll;
  now?: () => number;
}

interface HostEntry {
  addresses: string[];
  next: number;
  resolvedAt: number;
  refreshing?: Promise<void>;
  /** Why the last lookup failed (reported to requests when no address is known). */
  error?: NodeJS.ErrnoException;
  /** Set when a replica closed on us or failed to answer: the next request resolves first. */
  invalidated?: boolean;
}

/**
 * Spreads requests over every address of a DNS round-robin name, as an undici interceptor.
 *
 * A keep-alive pool keyed by host name resolves `users-service` once, keeps that connection and
 * sends every request to the same replica. This interceptor resolves the name itself (dns.lookup
 * with all: true, again every `refreshMs`, so new and removed replicas are followed) and rewrites
 * each request's origin to the next address in turn; the undici Agent under it keeps one
 * keep-alive pool per origin, so one per replica. The Host header keeps the name. An address whose
 * request got no answer at all is skipped for `ejectMs`, so the caller's retry goes to another
 * replica instead of the one that just died. Origins that are IP addresses already pass through.
 *
 * undici's own `interceptors.dns` also rotates over the addresses, but keeps a refused address in
 * rotation until its TTL runs out and does not look the name up again when a replica hangs up
 * (docs/decisions.md).
 */
export class DnsRoundRobin {
  private readonly hosts = new Map<string, HostEntry>();
  private readonly ejectedUntil = new Map<string, number>();
  /** Parsed request origins: the same one or two strings on every request. */
  private readonly origins = new Map<string, URL>();
  private readonly refreshMs: number;
  private readonly ejectMs: number;
  private readonly resolve: ResolveAll;
  private readonly now: () => number;

  constructor({ refreshMs = 1000, ejectMs = 5000, resolve = resolveAll, now = Date.now }: DnsRoundRobinOptions = {}) {
    this.refreshMs = refreshMs;
    this.ejectMs = ejectMs;
    this.resolve = resolve;
    this.now = now;
  }

  /** An undici Agent (one keep-alive pool per replica) with this balancer in front of it. */
  agent(options: Agent.Options = {}): Dispatcher {
    const agent = new Agent(options);
    // A replica that closed a kept-alive connection may be shutting down: look the name up again.
    agent.on('disconnect', (origin) => this.disconnected(origin.hostname));
    return agent.compose(this.interceptor);
  }

  readonly interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
    const origin = this.originOf(options.origin);
    if (!origin || isIP(origin.hostname)) return dispatch(options, handler);
    const entry = this.entry(origin.hostname);
    // Nothing resolved yet, or the list was invalidated (a replica went away): wait for the lookup,
    // so a stopped service is seen as gone (ENOTFOUND, at once) instead of dialled at its old address.
    if ((entry.addresses.length === 0 || entry.invalidated) && entry.refreshing) {
      void entry.refreshing.then(() => this.forward(dispatch, options, handler, origin, entry));
      return true;
    }
    return this.forward(dispatch, options, handler, origin, entry);
  };

  /** The addresses currently in rotation for a host name (after its last lookup). */
  addressesOf(hostname: string): readonly string[] {
    return this.hosts.get(hostname)?.addresses ?? [];
  }

  private forward(
    dispatch: Dispatcher.Dispatch,
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
    origin: URL,
    entry: HostEntry,
  ): boolean {
    const address = this.pick(entry);
    if (address === undefined) {
      const error = entry.error ?? Object.assign(new Error(`getaddrinfo ENOTFOUND ${origin.hostname}`), { code: 'ENOTFOUND', hostname: origin.hostname });
      handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, error);
      return true;
    }
    const host = isIP(address) === 6 ? `[${address}]` : address;
    return dispatch(
      // The origin (and so the keep-alive pool) is per address; the server still sees `users-service:5000`.
      { ...options, origin: `${origin.protocol}//${host}${origin.port ? `:${origin.port}` : ''}`, headers: withHost(options.headers, origin.host) },
      new WatchedHandler(handler, () => this.ejectedUntil.delete(address), () => this.noAnswer(address, origin.hostname)),
    );
  }

  private originOf(origin: string | URL | undefined): URL | undefined {
    if (origin === undefined || origin instanceof URL) return origin;
    let parsed = this.origins.get(origin);
    if (!parsed) {
      parsed = new URL(origin);
      this.origins.set(origin, parsed);
    }
    return parsed;
  }

  private entry(hostname: string): HostEntry {
    let entry = this.hosts.get(hostname);
    if (!entry) {
      entry = { addresses: [], next: 0, resolvedAt: -Infinity };
      this.hosts.set(hostname, entry);
    }
    if (!entry.refreshing && (entry.invalidated || this.now() - entry.resolvedAt >= this.refreshMs)) {
      const current = entry;
      current.refreshing = this.refresh(hostname, current).finally(() => (current.refreshing = undefined));
    }
    return entry;
  }

  /** Never rejects: a failed lookup is kept in entry.error for the request waiting on it. */
  private async refresh(hostname: string, entry: HostEntry): Promise<void> {
    try {
      // Sorted: DNS round-robin shuffles the answer each time; a stable order keeps the turns fair.
      entry.addresses = [...new Set(await this.resolve(hostname))].sort();
      entry.error = undefined;
    } catch (error) {
      // The name is gone (ENOTFOUND): nothing to rotate over. A transient failure keeps the last list.
      entry.error = error as NodeJS.ErrnoException;
      if (entry.error.code === 'ENOTFOUND') entry.addresses = [];
    }
    entry.resolvedAt = this.now();
    entry.invalidated = false;
  }

  /** The next address of the entry in turn, skipping ejected ones (the interceptor has just refreshed it if due). */
  private pick(entry: HostEntry): string | undefined {
    const { addresses } = entry;
    if (addresses.length === 0) return undefined;
    for (let tried = 0; tried < addresses.length; tried++) {
      const address = addresses[entry.next % addresses.length];
      entry.next = (entry.next + 1) % addresses.length;
      if (!this.isEjected(address)) return address;
    }
    // Every address failed recently: try the next one anyway rather than fail without trying.
    const address = addresses[entry.next % addresses.length];
    entry.next = (entry.next + 1) % addresses.length;
    return address;
  }

  private isEjected(address: string): boolean {
    const until = this.ejectedUntil.get(address);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.ejectedUntil.delete(address);
    return false;
  }

  /** A request that ended without any response (refused, unreachable, reset, aborted). */
  private noAnswer(address: string, hostname: string): void {
    this.ejectedUntil.set(address, this.now() + this.ejectMs);
    this.invalidate(hostname);
  }

  /** A connection to `address` closed: every name that resolved to it may be out of date. */
  private disconnected(address: string): void {
    const bare = address.startsWith('[') ? address.slice(1, -1) : address;
    for (const [hostname, entry] of this.hosts) if (entry.addresses.includes(bare)) this.invalidate(hostname);
  }

  /** The name's answer may be out of date: the next request waits for a fresh lookup. */
  private invalidate(hostname: string): void {
    const entry = this.hosts.get(hostname);
    if (entry) entry.invalidated = true;
  }
}
