import { Module } from '@nestjs/common';
import { HealthModule } from '@desafios/health';
import { GreetingModule } from './greeting/greeting.module';

// No dependencies: /health/ready is as healthy as the process itself.
@Module({ imports: [GreetingModule, HealthModule.forRoot()] })
export class AppModule {}
