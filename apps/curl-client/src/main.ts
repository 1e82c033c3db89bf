import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@desafios/config';
import { serveMetrics } from '@desafios/metrics';
import { createJsonLogger, exitOnSignal } from '@desafios/server';
import { Registry } from 'prom-client';
import { curlClientConfig } from './app.config';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig(curlClientConfig);
  const logger = createJsonLogger('curl-client');
  const write = (line: string) => process.stdout.write(`${line}\n`);
  // A Nest application context: the poller's lifecycle without an HTTP server.
  const app = await NestFactory.createApplicationContext(
    AppModule.register(config, write, () => void app.close().then(() => process.exit(0))),
    { logger: ['error', 'warn'] },
  );
  const metrics = config.METRICS_ENABLED ? await serveMetricsOrExit(app.get(Registry), config.METRICS_PORT) : undefined;
  // Stopping must be immediate: abort the request in flight and leave.
  exitOnSignal(
    () => {
      metrics?.close();
      return app.close();
    },
    { graceMs: 500, log: (message) => logger.log(message, 'Shutdown') },
  );
  write(`curl-client: GET ${config.TARGET_URL} a cada ${config.INTERVAL_MS} ms${metrics ? `; métricas em :${config.METRICS_PORT}/metrics` : ''}`);
}

/** A taken METRICS_PORT ends the start with one line, like a bad variable. */
async function serveMetricsOrExit(registry: Registry, port: number) {
  try {
    return await serveMetrics(registry, '0.0.0.0', port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    process.stderr.write(`Erro na partida do curl-client: não foi possível ouvir em 0.0.0.0:${port} (METRICS_PORT=${port}): ${code}\n`);
    return process.exit(1);
  }
}

void main();
