import { Module } from '@nestjs/common';
import { RedisCacheModule } from '../cache/redis-cache.module';
import { DatabaseModule } from '../database/database.module';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

@Module({ imports: [DatabaseModule, RedisCacheModule], controllers: [StatusController], providers: [StatusService] })
export class StatusModule {}
