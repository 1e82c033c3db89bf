import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { UsersConsumerConfig } from '../app.config';
import { UpstreamDispatcher } from '../upstream/upstream.dispatcher';
import { UpstreamMetrics } from '../upstream/upstream.metrics';
import { UsersPageService } from './users-page.service';
import { UsersController } from './users.controller';
import { UsersClient } from './users.client';
import { usersHttpOptions } from './users-http.options';

@Module({
  imports: [
    HttpModule.registerAsync({
      extraProviders: [UpstreamDispatcher],
      inject: [APP_CONFIG, UpstreamDispatcher],
      useFactory: (config: UsersConsumerConfig, upstream: UpstreamDispatcher) => usersHttpOptions(config, upstream.dispatcher),
    }),
  ],
  controllers: [UsersController],
  providers: [UsersClient, UsersPageService, UpstreamMetrics],
  exports: [UsersClient],
})
export class UsersModule {}
