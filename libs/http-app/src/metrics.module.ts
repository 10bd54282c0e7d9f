import { Controller, type DynamicModule, Get, Header, Module } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { registerEventLoopUtilization } from './event-loop.gauge.js';
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
 * Sampling period of prom-client's event-loop lag histogram (`nodejs_eventloop_lag_*`), which wakes
 * every process once per period even at rest. Its 10 ms default was nearly all the system's CPU at
 * rest; 100 ms still cost each idle process about 1.5 ms of CPU a second on a slow 2-core VM (20
 * processes: 1.4% of the cores, most of the 2% the system may use at rest), against 0.5 ms at 1 s.
 * How busy an event loop is shows in `nodejs_eventloop_utilization_ratio` (event-loop.gauge.ts),
 * which costs nothing between scrapes and misses no stall; the lag histogram keeps the delays of
 * stalls of a second and more.
 */
const EVENT_LOOP_SAMPLING_MS = 1_000;

/**
 * Gauges of prom-client's defaults whose `_total` suffix `promtool check metrics` refuses (it is for
 * counters); the per-type gauges without the suffix (`nodejs_active_handles{type}`...) carry the same counts.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * `/metrics` in Prometheus text format from prom-client's default registry, with the Node process
 * metrics, the event loop's utilization, and an `app` label on every series.
 */
@Module({})
export class MetricsModule {
  static forRoot(app: string): DynamicModule {
    register.setDefaultLabels({ app });
    if (!defaultsCollected) {
      collectDefaultMetrics({ eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLING_MS });
      for (const name of MISNAMED_DEFAULTS) register.removeSingleMetric(name);
      registerEventLoopUtilization();
      defaultsCollected = true;
    }
    return { module: MetricsModule, controllers: [MetricsController] };
  }
}
