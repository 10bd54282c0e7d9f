import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';

/** The app's one connection to the bus, and the key prefix of this deployment's streams. */
@Injectable()
export class BusConnection implements OnModuleDestroy {
  readonly redis: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  /** The stored key of a stream named as in the API. */
  keyOf(stream: string): string {
    return this.prefix + stream;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
