import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@desafios/server';
import { DependencyIndicator } from './dependency-indicator';
import { HealthModule } from './health.module';

// A dependency whose state the test flips, checked through terminus like a real one.
let databaseUp = true;

@Injectable()
class FakeDatabaseIndicator implements DependencyIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async check() {
    const indicator = this.indicators.check('db');
    return databaseUp ? indicator.up() : indicator.down({ message: 'conexão recusada' });
  }
}

describe('HealthModule', () => {
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    app = await createHttpApp(HealthModule.forRoot({ indicators: [FakeDatabaseIndicator] }), {
      name: 'health-spec',
      logger: { log: () => undefined, error: () => undefined, warn: () => undefined },
    });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  it('GET /health/live is 200 even when a dependency is down', async () => {
    databaseUp = false;
    const response = await fetch(`${base}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', details: {} });
  });

  it('GET /health/ready is 200 and lists the dependency when it is up', async () => {
    databaseUp = true;
    const response = await fetch(`${base}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', details: { db: { status: 'up' } } });
  });

  it('GET /health/ready is 503 naming the dependency that is down', async () => {
    databaseUp = false;
    const response = await fetch(`${base}/health/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'error',
      error: { db: { status: 'down', message: 'conexão recusada' } },
    });
  });
});
