import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@desafios/config';
import { UpstreamDispatcher, upstreamHttpOptions } from '@desafios/http-upstream';
import type { Dispatcher } from 'undici';
import { UsersConsumerConfig } from '../app.config';
import { UsersPageService } from './users-page.service';
import { UsersController } from './users.controller';
import { UsersClient } from './users.client';

/** Bounds every response body: the list is small, a huge body is a broken or hostile upstream. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** users-service through undici (keep-alive pools, one per replica): @desafios/http-upstream. */
export function usersHttpOptions(config: UsersConsumerConfig, dispatcher: Dispatcher) {
  return upstreamHttpOptions({ baseURL: config.USERS_SERVICE_URL, timeoutMs: config.USERS_TIMEOUT_MS, maxBodyBytes: MAX_BODY_BYTES }, dispatcher);
}

@Module({
  imports: [
    HttpModule.registerAsync({
      extraProviders: [UpstreamDispatcher],
      inject: [APP_CONFIG, UpstreamDispatcher],
      useFactory: (config: UsersConsumerConfig, upstream: UpstreamDispatcher) => usersHttpOptions(config, upstream.dispatcher),
    }),
  ],
  controllers: [UsersController],
  providers: [UsersClient, UsersPageService],
  exports: [UsersClient],
})
export class UsersModule {}
