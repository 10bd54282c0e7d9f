import type { StreamsLogger } from '@app/bus-delivery';
import { Redis, type RedisOptions } from 'ioredis';
import { settlesWithin } from './periodic.task.js';

/**
 * A connection named after its role (visible in `CLIENT LIST`, which is how operators and tests find
 * a stream reader), connected lazily so that `connect()` reports an unreachable Redis at boot.
 * Connection errors are logged; ioredis keeps reconnecting on its own.
 */
export function createRedisConnection(url: string, name: string, logger: StreamsLogger, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { connectionName: name.replace(/\s/g, '_'), lazyConnect: true, ...options });
  redis.on('error', (error: Error) => logger.warn({ err: error, connection: name }, 'Redis connection error'));
  return redis;
}

/**
 * QUIT when connected (waiting, briefly, for the socket to end), else drop the socket. Never twice:
 * ioredis would keep a 2 s timer on a socket that has already ended.
 */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    const ended = new Promise((resolve) => redis.once('end', resolve));
    const quit = await redis.quit().then(
      () => true,
      () => false,
    );
    if (quit) {
      await settlesWithin(ended, 1_000);
      return;
    }
  }
  redis.disconnect();
}
