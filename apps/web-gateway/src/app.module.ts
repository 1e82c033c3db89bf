import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@desafios/config';
import { HealthModule } from '@desafios/health';
import { WebGatewayConfig } from './app.config';
import { CacheIndicator } from './cache/cache.indicator';
import { RedisCacheModule } from './cache/redis-cache.module';
import { DatabaseIndicator } from './database/database.indicator';
import { DatabaseModule } from './database/database.module';
import { StatusModule } from './status/status.module';

/** The config is passed in (not read here) so tests can point the app at their own containers. */
@Module({})
export class AppModule {
  static register(config: WebGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        StatusModule,
        HealthModule.forRoot({
          imports: [DatabaseModule, RedisCacheModule],
          indicators: [DatabaseIndicator, CacheIndicator],
        }),
      ],
    };
  }
}
