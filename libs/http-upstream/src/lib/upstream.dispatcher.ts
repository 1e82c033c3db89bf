import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import { DnsRoundRobin } from './dns-round-robin';

/**
 * The transport of the calls to an upstream: an undici Agent with keep-alive pools behind a
 * DnsRoundRobin balancer. It reuses TCP connections between page views instead of paying a
 * handshake per request, with one pool per upstream replica: the name is resolved again every
 * second and requests take turns over its addresses, so scaled replicas all get traffic.
 * Idle connections are dropped after 15 s (the upstream is expected to keep them for longer).
 * The pools close at application shutdown, after the HTTP server has closed and its last pages
 * have been served: closed earlier (onModuleDestroy runs before the server closes), a page still
 * being served during a stop would find no transport and answer 503.
 */
@Injectable()
export class UpstreamDispatcher implements OnApplicationShutdown {
  readonly dispatcher: Dispatcher = new DnsRoundRobin({ refreshMs: 1000, ejectMs: 5000 }).agent({
    // Per replica: as many connections as the old http.Agent's maxSockets.
    connections: 64,
    keepAliveTimeout: 15_000,
    keepAliveMaxTimeout: 15_000,
  });

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
