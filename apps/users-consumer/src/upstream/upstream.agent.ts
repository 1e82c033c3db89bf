import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { DnsRoundRobinAgent } from './dns-round-robin.agent';

/**
 * The HTTP agent of the calls to users-service: a DnsRoundRobinAgent with keep-alive pools. It
 * reuses TCP connections between page views instead of paying a handshake per request, with one
 * pool per users-service replica: the name is resolved again every second and requests take turns
 * over its addresses, so scaled replicas all get traffic. Idle sockets are dropped after 15 s
 * (users-service keeps them for longer), and all of them are closed when the app stops so
 * shutdown does not wait on them.
 */
@Injectable()
export class UpstreamAgent extends DnsRoundRobinAgent implements OnModuleDestroy {
  constructor() {
    super({
      keepAlive: true,
      // Same TCP keep-alive delay as axios sets on each request's socket (60 s): Node skips the
      // setsockopt calls when the value is unchanged, and with two values they ran on every
      // request (a visible share of the CPU under load: docs/benchmarks.md).
      keepAliveMsecs: 60_000,
      maxSockets: 64,
      // As many idle sockets as busy ones: under load, closing extras only to reopen them costs a handshake each.
      maxFreeSockets: 64,
      timeout: 15_000,
      scheduling: 'lifo',
      refreshMs: 1000,
      ejectMs: 5000,
    });
  }

  onModuleDestroy(): void {
    this.destroy();
  }
}
