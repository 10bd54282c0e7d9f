import { hostname } from 'node:os';
import { type AppConfig, EnvSchema } from '@app/config';
import { createLogger } from '@app/observability';
import type { DeliveryPolicy } from './delivery.policy.js';

/** The subset of a pino logger a transport writes to; `createLogger` from `@app/observability` fits. */
export interface StreamsLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * The options both transports share, named alike because they mean the same on either bus. Each
 * transport's options extend them with their connection and what only that bus has.
 */
export interface DeliveryServerOptions extends Partial<DeliveryPolicy> {
  /** The consuming app: one consumer group (Redis) or set of durable consumers (NATS) per app, so every app sees every event. */
  group: string;
  /** This instance, in logs and dead letters; instances of one app compete for entries. Default `hostname-pid`. */
  consumer?: string;
  /** Streams to read, as `STREAMS` names them. Default: the streams of the event types that have handlers. */
  streams?: readonly string[];
  /** Entries asked for per read (pull). */
  batchSize?: number;
  /** Entries read but not yet settled (running or queued behind their correlation id). */
  maxInFlight?: number;
  /** How long one read (pull) waits for new entries (on NATS at least 1 s). */
  blockMs?: number;
  /**
   * `correlation` (default): entries with the same `correlationId` are handled one after the other
   * in stream order, as saga steps need. `none`: every entry in flight is handed over at once, for
   * writers that batch and put each batch back in stream order themselves (see `compareEntryIds`).
   */
  ordering?: 'correlation' | 'none';
  /** How long an entry stays with an instance that stopped making progress (crashed) before another one gets it. */
  claimIdleMs?: number;
  /** How long `close()` waits for running handlers. */
  drainMs?: number;
  logger?: StreamsLogger;
}

/** Options with every default filled in; only `streams` may stay absent (then the handlers decide). */
export type ResolvedDeliveryOptions<O extends DeliveryServerOptions> = Required<Omit<O, 'streams'>> & Pick<O, 'streams'>;

/** The shared settings every app takes from its configuration (`STREAM_*`, `SHUTDOWN_DRAIN_MS`), on either bus. */
export function deliverySettingsFromConfig(config: AppConfig) {
  return {
    batchSize: config.STREAM_BATCH_SIZE,
    maxInFlight: config.STREAM_MAX_IN_FLIGHT,
    blockMs: config.STREAM_BLOCK_MS,
    maxAttempts: config.STREAM_MAX_ATTEMPTS,
    retryDelayMs: config.STREAM_RETRY_DELAY_MS,
    maxRetryDelayMs: config.STREAM_RETRY_MAX_DELAY_MS,
    claimIdleMs: config.STREAM_CLAIM_IDLE_MS,
    drainMs: config.SHUTDOWN_DRAIN_MS,
  } satisfies Partial<DeliveryServerOptions>;
}

/**
 * Fills in the defaults of a transport's options: the configuration's defaults (`libs/config`, the
 * one place they are written) for the shared settings and for the transport's own ones
 * (`ownDefaults`, given the default configuration), then `ordering: 'correlation'`, a consumer named
 * `hostname-pid` and a logger named `loggerName`. An option set to `undefined` keeps its default.
 */
export function resolveDeliveryOptions<O extends DeliveryServerOptions, D extends object>(
  options: O,
  ownDefaults: (defaults: AppConfig) => D,
  loggerName: string,
): ResolvedDeliveryOptions<DeliveryServerOptions> & D & O {
  const defaults = new EnvSchema();
  return {
    consumer: `${hostname()}-${process.pid}`,
    ...deliverySettingsFromConfig(defaults),
    ...ownDefaults(defaults),
    ordering: 'correlation' as const,
    ...withoutUndefined(options),
    logger: options.logger ?? createLogger(loggerName, 'info'),
  };
}

/**
 * A transport's options from the app configuration: the shared settings, the transport's own
 * (`ownSettings`), then the app's `options`; `CONSUMER_GROUP` and `CONSUMER_NAME` override the app's
 * defaults when set.
 */
export function deliveryOptionsFromConfig<O extends DeliveryServerOptions, S extends object>(config: AppConfig, ownSettings: S, options: O) {
  return {
    ...deliverySettingsFromConfig(config),
    ...ownSettings,
    ...withoutUndefined(options),
    ...(config.CONSUMER_GROUP !== '' && { group: config.CONSUMER_GROUP }),
    ...(config.CONSUMER_NAME !== '' && { consumer: config.CONSUMER_NAME }),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
