import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, UsersConsumerConfig } from '@desafios/config';
import { HealthModule } from '@desafios/health';
import { UsersServiceIndicator } from './users/users-service.indicator';
import { UsersModule } from './users/users.module';

@Global()
@Module({})
export class AppModule {
  /** /health/ready is up only while users-service answers: the page is useless without it. */
  static register(config: UsersConsumerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [UsersModule, HealthModule.forRoot({ imports: [UsersModule], indicators: [UsersServiceIndicator] })],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
