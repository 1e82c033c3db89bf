import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@desafios/config';
import { HealthModule } from '@desafios/health';
import { WebGatewayConfig } from './app.config';
import { CacheCheck } from './cache/cache.check';
import { RedisCacheModule } from './cache/redis-cache.module';
import { DatabaseCheck } from './database/database.check';
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
          // The same checks the status page runs, answering /health/ready.
          indicators: [DatabaseCheck, CacheCheck],
        }),
      ],
    };
  }
}
