import { hostname } from 'node:os';
import { type AppConfig, EnvSchema } from '@app/config';
import { createLogger } from '@app/observability';
import type { DeliveryPolicy } from './delivery.policy.js';

/** The subset of a pino logger the transport writes to; `createLogger` from `@app/observability` fits. */
export interface StreamsLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

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
 * Options of {@link RedisStreamsServer}. Only `url` and `group` are required; the others default to
 * the configuration's defaults (`libs/config`), the one place they are written.
 */
export interface RedisStreamsServerOptions extends Partial<DeliveryPolicy> {
  /** `redis://host:port[/db]`. */
  url: string;
  /** Prepended to every stream name (and so to the dead-letter streams). */
  keyPrefix?: string;
  /** The consumer group: one per consuming app, so every app sees every event. */
  group: string;
  /** This instance inside the group; instances of one app compete for entries. Default `hostname-pid`. */
  consumer?: string;
  /** Streams to read, without prefix. Default: the streams of the event types that have handlers. */
  streams?: readonly string[];
  /** Entries asked for per read. */
  batchSize?: number;
  /** Entries read but not yet settled (running or queued behind their correlation id). */
  maxInFlight?: number;
  /** How long one read blocks waiting for new entries. */
  blockMs?: number;
  /**
   * How long to wait after a read that returned fewer entries than asked for, so that the next read
   * finds several entries instead of one (each read is a round trip, paid by every group). It adds
   * at most this much latency to an entry published during the wait.
   */
  readPauseMs?: number;
  /**
   * `correlation` (default): entries with the same `correlationId` are handled one after the other
   * in stream order, as saga steps need. `none`: every entry in flight is handed over at once, for
   * writers that batch and put each batch back in stream order themselves (see `compareEntryIds`).
   */
  ordering?: 'correlation' | 'none';
  /**
   * An entry of another consumer pending this long without progress is claimed: its consumer died.
   * A consumer with nothing pending, idle this long (and at least two read blocks), is removed.
   */
  claimIdleMs?: number;
  /** How often pending entries are claimed. */
  claimIntervalMs?: number;
  /** `false` disables trimming. */
  trim?: TrimPolicy | false;
  /** How long `close()` waits for running handlers. */
  drainMs?: number;
  /**
   * Where a newly created group starts. Default `0`: a group created after events were published
   * (a worker deployed or started late) still handles the history the stream retains, instead of
   * silently missing it; handlers are idempotent, so replaying retained history is safe.
   */
  groupStartId?: string;
  logger?: StreamsLogger;
}

export type ResolvedServerOptions = Required<Omit<RedisStreamsServerOptions, 'streams'>> & Pick<RedisStreamsServerOptions, 'streams'>;

/** The settings every app takes from its configuration, by name. */
function configuredSettings(config: AppConfig) {
  return {
    batchSize: config.STREAM_BATCH_SIZE,
    maxInFlight: config.STREAM_MAX_IN_FLIGHT,
    blockMs: config.STREAM_BLOCK_MS,
    readPauseMs: config.STREAM_READ_PAUSE_MS,
    maxAttempts: config.STREAM_MAX_ATTEMPTS,
    retryDelayMs: config.STREAM_RETRY_DELAY_MS,
    maxRetryDelayMs: config.STREAM_RETRY_MAX_DELAY_MS,
    claimIdleMs: config.STREAM_CLAIM_IDLE_MS,
    claimIntervalMs: config.STREAM_CLAIM_INTERVAL_MS,
    trim: config.STREAM_TRIM_INTERVAL_MS > 0 ? { maxLen: config.STREAM_MAXLEN, intervalMs: config.STREAM_TRIM_INTERVAL_MS } : (false as const),
    drainMs: config.SHUTDOWN_DRAIN_MS,
  } satisfies Partial<RedisStreamsServerOptions>;
}

/** Fills in the defaults of {@link RedisStreamsServerOptions}: the configuration's own, then the transport's. */
export function resolveServerOptions(options: RedisStreamsServerOptions): ResolvedServerOptions {
  return {
    keyPrefix: '',
    consumer: `${hostname()}-${process.pid}`,
    ...configuredSettings(new EnvSchema()),
    ordering: 'correlation',
    groupStartId: '0',
    ...withoutUndefined(options),
    logger: options.logger ?? createLogger('redis-streams', 'info'),
  };
}

/**
 * Server options from the app configuration: `CONSUMER_GROUP` and `CONSUMER_NAME` override the
 * app's own defaults when set, every `STREAM_*` setting maps to its option.
 */
export function serverOptionsFromConfig(
  config: AppConfig,
  options: Pick<RedisStreamsServerOptions, 'group'> & Partial<RedisStreamsServerOptions>,
): RedisStreamsServerOptions {
  return {
    url: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    ...configuredSettings(config),
    ...withoutUndefined(options),
    ...(config.CONSUMER_GROUP !== '' && { group: config.CONSUMER_GROUP }),
    ...(config.CONSUMER_NAME !== '' && { consumer: config.CONSUMER_NAME }),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
