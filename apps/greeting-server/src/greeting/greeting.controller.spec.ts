import { Test } from '@nestjs/testing';
import { GreetingController } from './greeting.controller';
import { GreetingService } from './greeting.service';

describe('GreetingController', () => {
  it('answers with the greeting from the service', async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [GreetingController],
      providers: [GreetingService],
    }).compile();
    expect(moduleRef.get(GreetingController).greet()).toBe('Olá do servidor NestJS no container!');
  });
});
