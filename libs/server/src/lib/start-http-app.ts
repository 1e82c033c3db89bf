import type { DynamicModule, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { MetricsModule } from '@desafios/metrics';
import { drainHttpServer, exitOnSignal, isDraining } from './graceful-shutdown';
import { HttpErrorFilter } from './http-error.filter';
import { createJsonLogger } from './logger';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';
import { createStdoutRequestLog, RequestLog } from './request-log';
import { startupFailureLine, unexpectedFailureLine, withoutStartupErrors } from './startup-failure';

export interface HttpAppOptions {
  name: string;
  host: string;
  port: number;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** GET /metrics and request metrics (METRICS_ENABLED); on by default. */
  metrics?: boolean;
  /** Time allowed for in-flight requests after SIGTERM. */
  shutdownGraceMs?: number;
  logger?: LoggerService;
  /** Where the one-line-per-request log goes; JSON lines on stdout by default. */
  requestLog?: RequestLog;
  /** Runs after the app is created and before it listens (Fastify takes no new routes after). */
  beforeListen?: (app: NestFastifyApplication) => void | Promise<void>;
  /** How a failed start ends the process (tests replace it). */
  exit?: (code: number) => never;
}

/** How long a kept-alive connection may stay idle after SIGTERM before it is closed (well inside the grace period). */
const IDLE_DRAIN_MS = 500;

// One per process, like stdout itself.
let stdoutRequestLog: RequestLog | undefined;

/** Builds the Fastify adapter, logging, error handling and shutdown that every HTTP app shares. */
export async function createHttpApp(
  module: Type | DynamicModule,
  options: Omit<HttpAppOptions, 'host' | 'port' | 'beforeListen' | 'exit'>,
): Promise<NestFastifyApplication> {
  const logger = withoutStartupErrors(options.logger ?? createJsonLogger(options.name));
  const adapter = new FastifyAdapter({
    genReqId: requestIdFor,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  // abortOnError: false makes a failed bootstrap reject here instead of exiting inside Nest.
  const app = await NestFactory.create<NestFastifyApplication>(withMetrics(module, options.metrics ?? true), adapter, {
    logger,
    abortOnError: false,
  });
  app.useGlobalFilters(new HttpErrorFilter(logger));
  addRequestHooks(app.getHttpAdapter().getInstance(), options.requestLog ?? (stdoutRequestLog ??= createStdoutRequestLog()));
  return app;
}

/** The app's module beside the metrics (a Registry its services can inject, and GET /metrics when enabled). */
function withMetrics(module: Type | DynamicModule, enabled: boolean): DynamicModule {
  class HttpAppModule {}
  return { module: HttpAppModule, imports: [module, MetricsModule.forRoot({ enabled })] };
}

/**
 * createHttpApp + listen + clean exit on SIGTERM. A failed start (port in use, a dependency that
 * refused or never answered: see StartupError) prints one line to stderr and exits with code 1,
 * like a bad variable does in libs/config; an unexpected error also logs its stack first.
 */
export async function startHttpApp(
  module: Type | DynamicModule,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createJsonLogger(options.name);
  try {
    const app = await createHttpApp(module, { ...options, logger });
    await options.beforeListen?.(app);
    // Drained first: the app's connections end with an answer, then Nest's hooks close its dependencies.
    exitOnSignal(async () => {
      await drainHttpServer(app.getHttpServer(), IDLE_DRAIN_MS);
      await app.close();
    }, {
      graceMs: options.shutdownGraceMs ?? 1500,
      log: (message) => logger.log(message, 'Shutdown'),
    });
    await app.listen(options.port, options.host);
    logger.log(`${options.name} ouvindo em http://${options.host}:${options.port}`, 'Bootstrap');
    return app;
  } catch (error) {
    let line = startupFailureLine(options.name, error, options);
    if (line === undefined) {
      logger.error(error, 'Bootstrap');
      line = unexpectedFailureLine(options.name, error);
    }
    process.stderr.write(`${line}\n`);
    return (options.exit ?? ((code: number) => process.exit(code)))(1);
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function addRequestHooks(fastify: FastifyInstance, requestLog: RequestLog): void {
  // Once draining or closing, answers tell keep-alive clients to hang up, so each kept-alive
  // connection ends after its answer instead of holding the server open, or being cut mid-request.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Callback-style hooks: they run for every request, and an async hook costs a promise each time.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id).headers(SECURITY_HEADERS);
    if (closing || isDraining(fastify.server)) void reply.header('connection', 'close');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      void reply.header('content-security-policy', HTML_POLICY);
    }
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    requestLog({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      requestId: request.id,
    });
    done();
  });
}
