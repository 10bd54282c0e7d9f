import { Controller, type DynamicModule, Get, Header, Module } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { Public } from './public.decorator.js';

@Public()
@Controller('metrics')
class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  scrape(): Promise<string> {
    return register.metrics();
  }
}

let defaultsCollected = false;

/**
 * Sampling period of the event-loop lag histogram. prom-client's 10 ms default wakes every process
 * a hundred times a second: with fifteen processes that was nearly all the system's CPU at rest.
 * At 100 ms a stall long enough to matter to a checkout's p99 (100 ms and up) still always shows.
 */
const EVENT_LOOP_SAMPLING_MS = 100;

/**
 * Gauges of prom-client's defaults whose `_total` suffix `promtool check metrics` refuses (it is for
 * counters); the per-type gauges without the suffix (`nodejs_active_handles{type}`...) carry the same counts.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * `/metrics` in Prometheus text format from prom-client's default registry, with the Node process
 * metrics and an `app` label on every series.
 */
@Module({})
export class MetricsModule {
  static forRoot(app: string): DynamicModule {
    register.setDefaultLabels({ app });
    if (!defaultsCollected) {
      collectDefaultMetrics({ eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLING_MS });
      for (const name of MISNAMED_DEFAULTS) register.removeSingleMetric(name);
      defaultsCollected = true;
    }
    return { module: MetricsModule, controllers: [MetricsController] };
  }
}
