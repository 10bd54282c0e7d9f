import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options.js';
import { InternalKeyHealthIndicator } from './internal-key.indicator.js';
import { KeyCheckController } from './key-check.controller.js';
import { NatsHealthIndicator } from './nats-health.indicator.js';
import { RedisHealthIndicator } from './redis-health.indicator.js';

@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, KeyCheckController],
      providers: [RedisHealthIndicator, NatsHealthIndicator, InternalKeyHealthIndicator, { provide: HEALTH_OPTIONS, useValue: options }],
    };
  }
}
