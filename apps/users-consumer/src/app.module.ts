import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule } from '@desafios/config';
import { HealthModule } from '@desafios/health';
import { UsersConsumerConfig } from './app.config';
import { UsersServiceIndicator } from './users/users-service.indicator';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  /** /health/ready is up only while users-service answers: the page is useless without it. */
  static register(config: UsersConsumerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        UsersModule,
        HealthModule.forRoot({ imports: [UsersModule], indicators: [UsersServiceIndicator] }),
      ],
    };
  }
}
