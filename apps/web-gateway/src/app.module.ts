import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, WebGatewayConfig } from '@desafios/config';
import { HealthModule } from '@desafios/health';
import { CacheIndicator } from './cache/cache.indicator';
import { RedisCacheModule } from './cache/redis-cache.module';
import { DatabaseIndicator } from './database/database.indicator';
import { DatabaseModule } from './database/database.module';
import { StatusModule } from './status/status.module';

/** The config is passed in (not read here) so tests can point the app at their own containers. */
@Global()
@Module({})
export class AppModule {
  static register(config: WebGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
      imports: [
        StatusModule,
        HealthModule.forRoot({
          imports: [DatabaseModule, RedisCacheModule],
          indicators: [DatabaseIndicator, CacheIndicator],
        }),
      ],
    };
  }
}
