import { Injectable } from '@nestjs/common';

@Injectable()
export class GreetingService {
  greet(): string {
    return 'Olá do servidor NestJS no container!';
  }
}
