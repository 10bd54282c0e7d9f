import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ParcelViewCache } from './parcel-view.cache.js';

const CACHE_REDIS = Symbol('PARCEL_CACHE_REDIS');

/** Closes the cache's own connection when the app stops. */
@Injectable()
class CacheConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(CACHE_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Provides the {@link ParcelViewCache} on a Redis connection of its own (`REDIS_URL`, `REDIS_KEY_PREFIX`, `PARCEL_CACHE_TTL_MS`). */
@Module({})
export class ParcelViewCacheModule {
  static forRoot(): DynamicModule {
    return {
      module: ParcelViewCacheModule,
      providers: [
        { provide: CACHE_REDIS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new Redis(config.REDIS_URL, { connectionName: 'parcel-cache' }) },
        {
          provide: ParcelViewCache,
          inject: [CACHE_REDIS, APP_CONFIG],
          useFactory: (redis: Redis, config: AppConfig) =>
            new ParcelViewCache(redis, { keyPrefix: config.REDIS_KEY_PREFIX, ttlMs: config.PARCEL_CACHE_TTL_MS }),
        },
        CacheConnectionCloser,
      ],
      exports: [ParcelViewCache],
    };
  }
}
