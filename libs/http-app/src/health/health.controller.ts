import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Public } from '../public.decorator.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options.js';
import { InternalKeyHealthIndicator } from './internal-key.indicator.js';
import { NatsHealthIndicator } from './nats-health.indicator.js';
import { RedisHealthIndicator } from './redis-health.indicator.js';

/**
 * `/health/live`: the process answers. `/health`: ready, its PostgreSQL and its bus (Redis, or NATS
 * on `BUS=nats`) answer and the services it calls accept its `INTERNAL_API_KEY`.
 */
@Public()
@Controller('health')
export class HealthController {
  private readonly checks: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    redis: RedisHealthIndicator,
    nats: NatsHealthIndicator,
    internalKey: InternalKeyHealthIndicator,
    @Inject(HEALTH_OPTIONS) options: HealthOptions,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() database?: TypeOrmHealthIndicator,
  ) {
    this.checks = [config.BUS === 'nats' ? () => nats.isHealthy() : () => redis.isHealthy()];
    if (options.postgres && database !== undefined) this.checks.push(() => database.pingCheck('postgres', { timeout: 1_000 }));
    for (const callee of options.callees ?? []) this.checks.push(() => internalKey.isAccepted(callee));
  }

  @Get()
  @HealthCheck()
  ready() {
    return this.health.check(this.checks);
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
