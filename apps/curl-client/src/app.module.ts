import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, CurlClientConfig } from '@desafios/config';
import { POLLER_DONE, POLLER_OUTPUT, PollerService } from './poller/poller.service';

@Global()
@Module({})
export class AppModule {
  /** `output` receives one line per attempt; `done` is called once MAX_REQUESTS successes are seen. */
  static register(config: CurlClientConfig, output: (line: string) => void, done: () => void): DynamicModule {
    return {
      module: AppModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: POLLER_OUTPUT, useValue: output },
        { provide: POLLER_DONE, useValue: done },
        PollerService,
      ],
    };
  }
}
