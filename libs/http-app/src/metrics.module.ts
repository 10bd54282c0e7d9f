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
 * `/metrics` in Prometheus text format from prom-client's default registry, with the Node process
 * metrics and an `app` label on every series.
 */
@Module({})
export class MetricsModule {
  static forRoot(app: string): DynamicModule {
    register.setDefaultLabels({ app });
    if (!defaultsCollected) {
      collectDefaultMetrics();
      defaultsCollected = true;
    }
    return { module: MetricsModule, controllers: [MetricsController] };
  }
}
