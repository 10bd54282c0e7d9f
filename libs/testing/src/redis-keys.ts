import type { Redis } from 'ioredis';

/** Deletes a test's Redis keys (streams, dead letters, groups with them), all under its `REDIS_KEY_PREFIX`. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
