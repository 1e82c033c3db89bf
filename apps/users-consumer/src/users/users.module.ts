import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { UsersConsumerConfig } from '../app.config';
import { UpstreamAgent } from '../upstream/upstream.agent';
import { UpstreamMetrics } from '../upstream/upstream.metrics';
import { UsersPageService } from './users-page.service';
import { UsersController } from './users.controller';
import { UsersClient } from './users.client';
import { usersHttpOptions } from './users-http.options';

@Module({
  imports: [
    HttpModule.registerAsync({
      extraProviders: [UpstreamAgent],
      inject: [APP_CONFIG, UpstreamAgent],
      useFactory: (config: UsersConsumerConfig, agent: UpstreamAgent) => usersHttpOptions(config, agent),
    }),
  ],
  controllers: [UsersController],
  providers: [UsersClient, UsersPageService, UpstreamMetrics],
  exports: [UsersClient],
})
export class UsersModule {}
