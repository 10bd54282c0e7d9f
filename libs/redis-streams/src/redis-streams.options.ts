import { type DeliveryServerOptions, type ResolvedDeliveryOptions, deliveryOptionsFromConfig, resolveDeliveryOptions } from '@app/bus-delivery';
import type { AppConfig } from '@app/config';

/**
 * How streams are trimmed. Trimming keeps at least `maxLen` recent entries and never removes an
 * entry some consumer group of the stream has not read and acknowledged yet.
 */
export interface TrimPolicy {
  /** Entries kept even when every group is done with them (history for new groups and operators). */
  maxLen: number;
  intervalMs: number;
  /**
   * `MINID ~`: Redis only drops whole internal nodes, which is much cheaper and may keep a few
   * more entries than asked. Default true; tests use exact trimming to assert counts.
   */
  approximate?: boolean;
}

/**
 * Options of {@link RedisStreamsServer}: the shared ones of both transports (`DeliveryServerOptions`)
 * and those only Redis has. Only `url` and `group` are required; the others default to the
 * configuration's defaults (`libs/config`), the one place they are written.
 */
export interface RedisStreamsServerOptions extends DeliveryServerOptions {
  /** `redis://host:port[/db]`. */
  url: string;
  /** Prepended to every stream name (and so to the dead-letter streams). */
  keyPrefix?: string;
  /**
   * How long to wait after a read that returned fewer entries than asked for, so that the next read
   * finds several entries instead of one (each read is a round trip, paid by every group). It adds
   * at most this much latency to an entry published during the wait.
   */
  readPauseMs?: number;
  /** How often pending entries are claimed; a consumer with nothing pending, idle `claimIdleMs` (and at least two read blocks), is removed. */
  claimIntervalMs?: number;
  /** `false` disables trimming. */
  trim?: TrimPolicy | false;
  /**
   * Where a newly created group starts. Default `0`: a group created after events were published
   * (a worker deployed or started late) still handles the history the stream retains, instead of
   * silently missing it; handlers are idempotent, so replaying retained history is safe.
   */
  groupStartId?: string;
}

export type ResolvedServerOptions = ResolvedDeliveryOptions<RedisStreamsServerOptions>;

/** The Redis-only settings every app takes from its configuration. */
function redisSettingsFromConfig(config: AppConfig) {
  return {
    readPauseMs: config.STREAM_READ_PAUSE_MS,
    claimIntervalMs: config.STREAM_CLAIM_INTERVAL_MS,
    trim: config.STREAM_TRIM_INTERVAL_MS > 0 ? { maxLen: config.STREAM_MAXLEN, intervalMs: config.STREAM_TRIM_INTERVAL_MS } : (false as const),
  } satisfies Partial<RedisStreamsServerOptions>;
}

/** Fills in the defaults of {@link RedisStreamsServerOptions}: the configuration's own, then the transport's. */
export function resolveServerOptions(options: RedisStreamsServerOptions): ResolvedServerOptions {
  return resolveDeliveryOptions(options, (defaults) => ({ keyPrefix: '', groupStartId: '0', ...redisSettingsFromConfig(defaults) }), 'redis-streams');
}

/**
 * Server options from the app configuration: `CONSUMER_GROUP` and `CONSUMER_NAME` override the
 * app's own defaults when set, every `STREAM_*` setting maps to its option.
 */
export function serverOptionsFromConfig(
  config: AppConfig,
  options: Pick<RedisStreamsServerOptions, 'group'> & Partial<RedisStreamsServerOptions>,
): RedisStreamsServerOptions {
  return deliveryOptionsFromConfig(config, { url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, ...redisSettingsFromConfig(config) }, options);
}
