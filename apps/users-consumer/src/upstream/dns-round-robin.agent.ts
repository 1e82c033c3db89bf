import { lookup } from 'node:dns/promises';
import { Agent, AgentOptions, ClientRequest, RequestOptions } from 'node:http';
import { isIP, Socket } from 'node:net';

const WATCHED = Symbol('dns-round-robin-watched');

/** Every address a host name resolves to (IPv4 and IPv6), as the system resolver gives them. */
export type ResolveAll = (hostname: string) => Promise<string[]>;

export const resolveAll: ResolveAll = async (hostname) => (await lookup(hostname, { all: true })).map(({ address }) => address);

export interface DnsRoundRobinOptions extends AgentOptions {
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

type AddRequest = (this: Agent, request: ClientRequest, options: RequestOptions) => void;
const agentAddRequest = (Agent.prototype as unknown as { addRequest: AddRequest }).addRequest;

/**
 * A keep-alive agent that spreads requests over every address of a DNS round-robin name.
 *
 * A plain keep-alive agent pools sockets by host name: it resolves `users-service` once, keeps
 * that connection and sends every request to the same replica. This one resolves the name itself
 * (dns.lookup with all: true, again every `refreshMs`, so new and removed replicas are followed),
 * hands each request to the next address in turn, and keys the socket pool by address: one
 * keep-alive pool per replica. An address whose request got no answer at all is skipped for
 * `ejectMs`, so the caller's retry goes to another replica instead of the one that just died.
 * Host names that are IP addresses already are left alone.
 */
export class DnsRoundRobinAgent extends Agent {
  private readonly hosts = new Map<string, HostEntry>();
  private readonly ejectedUntil = new Map<string, number>();
  private readonly refreshMs: number;
  private readonly ejectMs: number;
  private readonly resolve: ResolveAll;
  private readonly now: () => number;

  constructor({ refreshMs = 1000, ejectMs = 5000, resolve = resolveAll, now = Date.now, ...agentOptions }: DnsRoundRobinOptions = {}) {
    super(agentOptions);
    this.refreshMs = refreshMs;
    this.ejectMs = ejectMs;
    this.resolve = resolve;
    this.now = now;
  }

  /** Called by http.request for every request that uses this agent, before a socket is chosen. */
  addRequest(request: ClientRequest, options: RequestOptions): void {
    const hostname = options.host ?? options.hostname ?? undefined;
    if (!hostname || isIP(hostname)) return agentAddRequest.call(this, request, options);
    const entry = this.entry(hostname);
    // Nothing resolved yet, or the list was invalidated (a replica went away): wait for the lookup,
    // so a stopped service is seen as gone (ENOTFOUND, at once) instead of dialled at its old address.
    if ((entry.addresses.length === 0 || entry.invalidated) && entry.refreshing) {
      void entry.refreshing.then(() => this.dispatch(request, options, hostname, entry));
    } else {
      this.dispatch(request, options, hostname, entry);
    }
  }

  /** The addresses currently in rotation for a host name (after its last lookup). */
  addressesOf(hostname: string): readonly string[] {
    return this.hosts.get(hostname)?.addresses ?? [];
  }

  private dispatch(request: ClientRequest, options: RequestOptions, hostname: string, entry: HostEntry): void {
    if (request.destroyed) return;
    const address = this.pick(hostname);
    if (address === undefined) {
      // What http.Agent itself does when it cannot make a socket: the request fails with this error.
      const error = entry.error ?? Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
      (request as unknown as { onSocket(socket: undefined, error: Error): void }).onSocket(undefined, error);
      return;
    }
    this.watch(request, address, hostname);
    // Host = the address: the pool key (and so the keep-alive socket) is per address. The Host
    // header was already set from the URL, so the server still sees `users-service:5000`.
    agentAddRequest.call(this, request, { ...options, host: address, hostname: address });
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

  /** The name's answer may be out of date: the next request waits for a fresh lookup. */
  private invalidate(hostname: string): void {
    const entry = this.hosts.get(hostname);
    if (entry) entry.invalidated = true;
  }

  private pick(hostname: string): string | undefined {
    const entry = this.entry(hostname);
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

  /**
   * A request that ends without any response (refused, unreachable, reset, aborted) ejects its
   * address. Either that or a kept-alive connection closed by the replica (it is shutting down)
   * invalidates the name, so the next request sees whether the replica is still there.
   */
  private watch(request: ClientRequest, address: string, hostname: string): void {
    let answered = false;
    request.once('response', () => {
      answered = true;
      this.ejectedUntil.delete(address);
    });
    request.once('close', () => {
      if (answered) return;
      this.ejectedUntil.set(address, this.now() + this.ejectMs);
      this.invalidate(hostname);
    });
    request.once('socket', (socket: Socket & { [WATCHED]?: true }) => {
      if (socket[WATCHED]) return;
      socket[WATCHED] = true;
      // 'close', not 'end': a replica that is stopped may hang up with a FIN or a reset.
      socket.once('close', () => this.invalidate(hostname));
    });
  }
}
