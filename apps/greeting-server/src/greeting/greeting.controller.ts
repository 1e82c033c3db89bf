import { Controller, Get, Header } from '@nestjs/common';
import { GreetingService } from './greeting.service';

@Controller()
export class GreetingController {
  constructor(private readonly greetingService: GreetingService) {}

  @Get()
  @Header('content-type', 'text/plain; charset=utf-8')
  greet(): string {
    return this.greetingService.greet();
  }
}
