import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@desafios/config';
import { MetricsModule } from '@desafios/metrics';
import { CurlClientConfig } from './app.config';
import { PollerMetrics } from './poller/poller.metrics';
import { Heartbeat } from './poller/heartbeat';
import { PollerService } from './poller/poller.service';
import { POLLER_DONE, POLLER_OUTPUT } from './poller/poller.tokens';

@Module({})
export class AppModule {
  /** `output` receives one line per attempt; `done` is called once MAX_REQUESTS successes are seen. */
  static register(config: CurlClientConfig, output: (line: string) => void, done: () => void): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(config), MetricsModule.forRoot({ enabled: config.METRICS_ENABLED })],
      providers: [
        { provide: POLLER_OUTPUT, useValue: output },
        { provide: POLLER_DONE, useValue: done },
        PollerService,
        PollerMetrics,
        Heartbeat,
      ],
    };
  }
}
