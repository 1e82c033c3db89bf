import type { DynamicModule } from '@nestjs/common';
import { APP_CONFIG } from './app-config.token';

/**
 * Puts an app's config, parsed once by loadConfig in main.ts (tests pass their own), under
 * APP_CONFIG for every module of the app: `imports: [AppConfigModule.forRoot(config)]`.
 * A dynamic module needs no @Module() decorator, so this file imports Nest only for types and the
 * health probe bundle, which also imports this lib, stays free of Nest.
 */
export class AppConfigModule {
  static forRoot(config: object): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
