import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsModule } from './metrics.module';
import { seriesValue as sample } from './metrics.testing';

@Controller('users')
class ProbeController {
  @Get()
  list() {
    return [];
  }

  @Get(':id')
  one(@Param('id') id: string) {
    return { id };
  }
}

async function startProbe(enabled: boolean): Promise<{ app: NestFastifyApplication; base: string }> {
  @Module({ imports: [MetricsModule.forRoot({ enabled })], controllers: [ProbeController] })
  class ProbeModule {}
  // Plain Nest on Fastify, as libs/server builds it (which imports this lib, so the spec cannot).
  const app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl() };
}

describe('MetricsModule', () => {
  describe('enabled', () => {
    let app: NestFastifyApplication;
    let base: string;
    beforeAll(async () => ({ app, base } = await startProbe(true)));
    afterAll(() => app.close());

    it('counts requests by route template and status, never by raw URL, and leaves its own scrapes out', async () => {
      for (const path of ['/users/1', '/users/2', '/users', '/users', '/users', '/nada/secreto-123']) {
        await (await fetch(base + path)).text();
      }
      await (await fetch(`${base}/metrics`)).text();
      const response = await fetch(`${base}/metrics`);
      const text = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const count = (route: string, status: number) =>
        sample(text, `http_request_duration_seconds_count{method="GET",route="${route}",status_code="${status}"}`);
      expect(count('/users/:id', 200)).toBe(2);
      expect(count('/users', 200)).toBe(3);
      expect(count('unmatched', 404)).toBe(1);
      expect(text).not.toContain('secreto-123');
      expect(text).not.toContain('route="/users/1"');
      expect(text).not.toContain('route="/metrics"');
      // Buckets are cumulative: every one of the 3 requests is at most 10 s.
      expect(sample(text, 'http_request_duration_seconds_bucket{le="10",method="GET",route="/users",status_code="200"}')).toBe(3);
    });

    it('exposes the Node runtime: memory, event loop lag, GC', async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
      expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
      expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    });
  });

  it('METRICS_ENABLED=false: GET /metrics is a 404 like any unknown route', async () => {
    const { app, base } = await startProbe(false);
    try {
      const response = await fetch(`${base}/metrics`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ statusCode: 404 });
    } finally {
      await app.close();
    }
  });
});
