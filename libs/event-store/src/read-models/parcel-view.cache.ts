import type { Redis } from 'ioredis';
import { counter } from '@app/observability';
import type { ParcelView } from '@app/projections';
import type { ParcelPage, ParcelVersion } from './parcels.reader.js';

/**
 * Invalidation: raises the key's floor to the version the read model holds now (never lowers it)
 * and drops every cached copy. The floor outlives the copies, so a reader that read the read model
 * before the commit and fills after this cannot put its older copy back.
 * KEYS[1] the hash; ARGV: version, ttl ms.
 */
const INVALIDATE = `
local floor = tonumber(redis.call('HGET', KEYS[1], 'floor') or '-1')
local version = tonumber(ARGV[1])
if version > floor then floor = version end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'floor', floor)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return floor`;

/**
 * Fill: stores a copy read from the read model only if it is at least as new as the floor and newer
 * than the copy already cached. KEYS[1] the hash; ARGV: field, version, json, ttl ms.
 */
const FILL = `
local floor = tonumber(redis.call('HGET', KEYS[1], 'floor') or '-1')
local cached = tonumber(redis.call('HGET', KEYS[1], 'v:' .. ARGV[1]) or '-1')
local version = tonumber(ARGV[2])
if version < floor or version <= cached then return 0 end
redis.call('HSET', KEYS[1], 'v:' .. ARGV[1], ARGV[2], 'd:' .. ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

export interface ParcelViewCacheOptions {
  /** `REDIS_KEY_PREFIX`. */
  keyPrefix: string;
  /**
   * How long an entry, and the floor an invalidation leaves, live. A reader's read of the read model
   * and its fill must take less than this, which any query does by orders of magnitude.
   */
  ttlMs: number;
}

type CacheResult = 'hit' | 'miss';

/**
 * The Redis cache in front of the parcels read model. Readers fill it from the read model; the
 * projector invalidates, after each commit and before it acknowledges the events, every parcel and
 * client the events touched. Each copy carries the version it was read at (a parcel's event count;
 * for a client's pages, the sum over its parcels), and each invalidation leaves a floor, so once the
 * projector acknowledged, no reader is served a copy older than the read model, however reads,
 * fills and invalidations interleave.
 */
export class ParcelViewCache {
  private readonly requests = counter({ name: 'parcel_cache_requests_total', help: 'Parcel queries by cache result', labelNames: ['query', 'result'] });

  constructor(
    private readonly redis: Redis,
    private readonly options: ParcelViewCacheOptions,
  ) {
    for (const query of ['parcel', 'client']) for (const result of ['hit', 'miss'] satisfies CacheResult[]) this.requests.inc({ query, result }, 0);
  }

  /** A parcel, from the cache or else the read model (`load`). */
  async parcel(parcelId: string, load: () => Promise<ParcelView | undefined>): Promise<ParcelView | undefined> {
    return this.cached<ParcelView>('parcel', this.parcelKey(parcelId), 'view', load, (view) => view.version);
  }

  /** A page of a client's parcels, from the cache or else the read model (`load`). */
  async clientPage(clientId: string, page: { limit: number; cursor?: string }, load: () => Promise<ParcelPage>): Promise<ParcelPage> {
    const field = `${page.limit}:${page.cursor ?? ''}`;
    return (await this.cached<ParcelPage>('client', this.clientKey(clientId), field, load, (p) => p.version)) as ParcelPage;
  }

  /** Drops what the projector just changed: each parcel at its new version, each client at its new version. */
  async invalidate(versions: readonly ParcelVersion[]): Promise<void> {
    if (versions.length === 0) return;
    const clients = new Map<string, number>();
    for (const v of versions) clients.set(v.clientId, Math.max(clients.get(v.clientId) ?? 0, v.clientVersion));
    const pipeline = this.redis.pipeline();
    for (const v of versions) pipeline.eval(INVALIDATE, 1, this.parcelKey(v.parcelId), v.version, this.options.ttlMs);
    for (const [clientId, version] of clients) pipeline.eval(INVALIDATE, 1, this.clientKey(clientId), version, this.options.ttlMs);
    const replies = (await pipeline.exec()) ?? [];
    const failure = replies.find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
  }

  private async cached<T>(
    query: string,
    key: string,
    field: string,
    load: () => Promise<T | undefined>,
    versionOf: (value: T) => number,
  ): Promise<T | undefined> {
    const [data] = await this.redis.hmget(key, `d:${field}`);
    if (data !== null && data !== undefined) {
      this.requests.inc({ query, result: 'hit' satisfies CacheResult });
      return JSON.parse(data) as T;
    }
    this.requests.inc({ query, result: 'miss' satisfies CacheResult });
    const value = await load();
    // Nothing to serve is not cached: the projection of the parcel's first event invalidates anyway.
    if (value !== undefined) await this.redis.eval(FILL, 1, key, field, versionOf(value), JSON.stringify(value), this.options.ttlMs);
    return value;
  }

  private parcelKey(parcelId: string): string {
    return `${this.options.keyPrefix}parcel-cache:parcel:${parcelId}`;
  }

  private clientKey(clientId: string): string {
    return `${this.options.keyPrefix}parcel-cache:client:${clientId}`;
  }
}
