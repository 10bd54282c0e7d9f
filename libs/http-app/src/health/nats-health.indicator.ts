import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { connectNats } from '@app/nats-jetstream';

/** Measures a round trip to NATS on a connection of its own, opened at the first check (only apps on `BUS=nats` check it). */
@Injectable()
export class NatsHealthIndicator implements OnModuleDestroy {
  private connection: Promise<NatsConnection> | undefined;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async isHealthy(key = 'nats') {
    const indicator = this.indicators.check(key);
    try {
      this.connection ??= connectNats(this.config.NATS_URL, 'health');
      const connection = await this.connection.catch((error: unknown) => {
        this.connection = undefined;
        throw error;
      });
      await withTimeout(connection.rtt(), 1_000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    await connection?.close();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
