import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { CurlClientConfig } from '../app.config';
import { Attempt, describeFailure, formatAttempt } from './attempt';
import { Heartbeat } from './heartbeat';
import { PollerMetrics } from './poller.metrics';
import { POLLER_DONE, POLLER_OUTPUT } from './poller.tokens';

/**
 * Requests TARGET_URL every INTERVAL_MS. Attempts never overlap: the next one is scheduled when the
 * previous one ends, and each has its own timeout, so a slow or absent server cannot pile them up.
 */
@Injectable()
export class PollerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private inFlight?: AbortController;
  private stopped = false;
  private successes = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: CurlClientConfig,
    @Inject(POLLER_OUTPUT) private readonly write: (line: string) => void,
    @Inject(POLLER_DONE) private readonly done: () => void,
    private readonly metrics: PollerMetrics,
    private readonly heartbeat: Heartbeat,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.inFlight?.abort();
  }

  async attempt(): Promise<Attempt> {
    const url = this.config.TARGET_URL;
    const at = new Date();
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    this.inFlight = new AbortController();
    const signal = AbortSignal.any([this.inFlight.signal, AbortSignal.timeout(this.config.REQUEST_TIMEOUT_MS)]);
    try {
      const response = await fetch(url, { signal });
      const body = await response.text();
      return { ok: true, at, url, status: response.status, latencyMs: elapsed(), body };
    } catch (error) {
      return { ok: false, at, url, latencyMs: elapsed(), error: describeFailure(error) };
    } finally {
      this.inFlight = undefined;
    }
  }

  private async tick(): Promise<void> {
    const result = await this.attempt();
    if (this.stopped) return;
    this.metrics.record(result);
    this.write(formatAttempt(result));
    if (result.ok && result.status < 400) {
      this.successes += 1;
      this.heartbeat.beat();
    }
    const max = this.config.MAX_REQUESTS;
    if (max !== undefined && this.successes >= max) {
      this.write(`${this.successes} resposta(s) recebida(s): MAX_REQUESTS atingido, encerrando`);
      this.done();
      return;
    }
    this.timer = setTimeout(() => void this.tick(), this.config.INTERVAL_MS);
  }
}
