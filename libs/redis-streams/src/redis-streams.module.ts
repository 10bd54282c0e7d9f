import { APP_CONFIG, type AppConfig } from '@app/config';
import { type DynamicModule, Module } from '@nestjs/common';
import { EventPublisher } from './event.publisher.js';

export interface RedisStreamsModuleOptions {
  /** The app's name, written as `producer` in the envelopes it publishes. */
  producer: string;
}

/**
 * Provides an {@link EventPublisher} connected to `REDIS_URL` with `REDIS_KEY_PREFIX` (from the
 * global `APP_CONFIG`); its connection closes when the app shuts down. Consuming is not a module:
 * it is the {@link RedisStreamsServer} transport given to `connectMicroservice`.
 */
@Module({})
export class RedisStreamsModule {
  static forRoot(options: RedisStreamsModuleOptions): DynamicModule {
    return {
      module: RedisStreamsModule,
      providers: [
        {
          provide: EventPublisher,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: options.producer }),
        },
      ],
      exports: [EventPublisher],
    };
  }
}
