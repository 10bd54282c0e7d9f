import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@app/config';
import { type BusServerOptions, busServerFromConfig } from '@app/bus';
import { createLogger } from '@app/observability';
import { createHttpApp } from './http-app.js';

export interface WorkerAppOptions {
  /** The app's name, on every log line and metric (e.g. `payment-worker`). */
  name: string;
  /** Its consumer group (e.g. `payment`); `CONSUMER_GROUP` overrides it. */
  group: string;
  config: AppConfig;
  /** Transport settings beyond the configuration (streams to read, error policy...). */
  transport?: Partial<BusServerOptions>;
  /** Where /health and /metrics answer; default `METRICS_PORT`. Tests pass 0 for a free port. */
  port?: number;
  host?: string;
}

/**
 * Starts a worker: the transport of the configured bus (`BUS`) consuming as `group`, plus an HTTP server for
 * `/health` and `/metrics` (the module registers `HealthModule` and `MetricsModule`) and whatever
 * controllers the module has (an HTTP app that also consumes starts this way on its own port).
 * SIGTERM drains the handlers in flight before the process exits.
 */
export async function startWorkerApp(module: Type | DynamicModule, options: WorkerAppOptions): Promise<NestFastifyApplication> {
  const { config, name } = options;
  const app = await createHttpApp(module, { name, logLevel: config.LOG_LEVEL });
  const strategy = busServerFromConfig(config, { group: options.group, logger: createLogger(name, config.LOG_LEVEL), ...options.transport });
  app.connectMicroservice({ strategy });
  await app.startAllMicroservices();
  await app.listen(options.port ?? config.METRICS_PORT, options.host ?? '0.0.0.0');
  return app;
}
