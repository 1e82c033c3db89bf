import { Module } from '@nestjs/common';
import { HealthModule } from '@desafios/health';
import { UsersModule } from './users/users.module';

// The users live in memory: /health/ready is as healthy as the process itself.
@Module({ imports: [UsersModule, HealthModule.forRoot()] })
export class AppModule {}
