import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { Logger } from 'pino';
import { PinoNestLogger, createLogger, flushTraces, withCorrelation } from '@app/observability';
import { ApiKeyGuard } from './api-key.guard.js';
import { DomainErrorFilter } from './domain-error.filter.js';
import { serveOpenApi } from './open-api.js';
import { createValidationPipe } from './validation.pipe.js';

/** Largest request body accepted; beyond it the answer is 413. */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** What a caller may send as X-Correlation-Id: an id, nothing that could forge log fields. */
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/** The providers that every HTTP app registers: the API-key guard and the error filter. */
export const HTTP_APP_PROVIDERS = [
  { provide: APP_GUARD, useClass: ApiKeyGuard },
  { provide: APP_FILTER, useClass: DomainErrorFilter },
];

export interface HttpAppOptions {
  /** The app's name, on every log line and metric. */
  name: string;
  port: number;
  logLevel: string;
  host?: string;
}

/**
 * Fastify with the limits every app shares. Fastify logs with pino natively; requests are logged at
 * debug (errors at error) so load tests stay cheap, with the caller's X-Correlation-Id if any; that
 * id is also the correlation id of every line logged while the request is handled.
 */
export function createFastifyAdapter(logger: Logger): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 200 },
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  adapter.getInstance().addHook('onRequest', (request, _reply, done) => {
    const correlationId = request.headers['x-correlation-id'];
    if (typeof correlationId === 'string' && CORRELATION_ID.test(correlationId)) withCorrelation(correlationId, done);
    else done();
  });
  adapter.getInstance().addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'debug';
    const correlationId = request.headers['x-correlation-id'];
    request.log[level]({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime, correlationId }, 'request');
    done();
  });
  // The spans still batched go out before the process exits (nothing to do when tracing is off).
  adapter.getInstance().addHook('onClose', async () => flushTraces());
  return adapter;
}

/** Applies what every app shares once it exists: validation, the JSON logger, shutdown hooks. */
export function configureHttpApp<T extends INestApplication>(app: T, logger: Logger): T {
  app.useGlobalPipes(createValidationPipe());
  app.useLogger(new PinoNestLogger(logger));
  app.enableShutdownHooks();
  return app;
}

/** Creates an HTTP app as every app of the system is created, without listening yet. */
export async function createHttpApp(module: Type | DynamicModule, options: Omit<HttpAppOptions, 'port'>): Promise<NestFastifyApplication> {
  const logger = createLogger(options.name, options.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(module, createFastifyAdapter(logger), { bufferLogs: true, abortOnError: false });
  serveOpenApi(app, options.name);
  return configureHttpApp(app, logger);
}

/** Creates, configures and starts an HTTP app. */
export async function startHttpApp(module: Type | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const app = await createHttpApp(module, options);
  await app.listen(options.port, options.host ?? '0.0.0.0');
  return app;
}
