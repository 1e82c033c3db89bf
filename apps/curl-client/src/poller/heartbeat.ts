import { renameSync, writeFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { CurlClientConfig } from '../app.config';
import { POLLER_OUTPUT } from './poller.tokens';

/** Room for a late timer or a slow write: the next round's answer may land this much after its due time. */
const SLACK_SECONDS = 2;

/**
 * The poller's health, for the image's HEALTHCHECK (docker/Dockerfile, target worker): after each
 * answered round it writes to HEARTBEAT_FILE the time, in Unix seconds, by which the next answer is
 * due (one interval plus one request timeout later). A file past its time means no answer came since:
 * the target is gone or the poller is stuck. No HEARTBEAT_FILE (outside the image): nothing is written.
 */
@Injectable()
export class Heartbeat {
  constructor(
    @Inject(APP_CONFIG) private readonly config: CurlClientConfig,
    @Inject(POLLER_OUTPUT) private readonly write: (line: string) => void,
  ) {}

  beat(now = Date.now()): void {
    const file = this.config.HEARTBEAT_FILE;
    if (!file) return;
    const due = Math.ceil((now + this.config.INTERVAL_MS + this.config.REQUEST_TIMEOUT_MS) / 1000) + SLACK_SECONDS;
    try {
      // Written beside it, then renamed over it: the healthcheck never reads a half-written file.
      writeFileSync(`${file}.tmp`, `${due}\n`);
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      this.write(`heartbeat: não foi possível gravar ${file} (HEARTBEAT_FILE): ${code}`);
    }
  }
}
