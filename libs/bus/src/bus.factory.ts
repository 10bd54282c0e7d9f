import type { AppConfig } from '@app/config';
import { JetStreamPublisher, JetStreamServer, jetStreamOptionsFromConfig, streamSettingsFromConfig } from '@app/nats-jetstream';
import { EventPublisher, RedisStreamsServer, type RedisStreamsServerOptions, serverOptionsFromConfig } from '@app/redis-streams';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import type { EventBus } from './event.bus.js';

/** The settings a worker passes to its transport; each bus takes those it has and ignores the rest. */
export type BusServerOptions = Pick<RedisStreamsServerOptions, 'group'> & Partial<RedisStreamsServerOptions>;

/**
 * A connected publisher of the configured bus, writing as `producer`: Redis Streams under
 * `REDIS_KEY_PREFIX`, or JetStream under `NATS_PREFIX` (its streams created if missing).
 */
export async function createEventBus(config: AppConfig, producer: string): Promise<EventBus> {
  if (config.BUS === 'nats') {
    return JetStreamPublisher.connect({ url: config.NATS_URL, prefix: config.NATS_PREFIX, producer, ...streamSettingsFromConfig(config) });
  }
  return new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer });
}

/**
 * The consuming transport of the configured bus, for `connectMicroservice({ strategy })`: the
 * Redis Streams server, or the JetStream one, with the same handlers and delivery contract.
 */
export function busServerFromConfig(config: AppConfig, options: BusServerOptions): CustomTransportStrategy {
  if (config.BUS === 'nats') {
    const { group, consumer, streams, batchSize, maxInFlight, blockMs, ordering, claimIdleMs, drainMs, maxAttempts, retryDelayMs, maxRetryDelayMs, logger } =
      serverOptionsFromConfig(config, options);
    return new JetStreamServer(
      jetStreamOptionsFromConfig(config, {
        group,
        consumer,
        streams,
        batchSize,
        maxInFlight,
        blockMs,
        ordering,
        claimIdleMs,
        drainMs,
        maxAttempts,
        retryDelayMs,
        maxRetryDelayMs,
        logger,
      }),
    );
  }
  return new RedisStreamsServer(serverOptionsFromConfig(config, options));
}
