import { hostname } from 'node:os';
import { type AppConfig, EnvSchema } from '@app/config';
import { createLogger } from '@app/observability';
import type { DeliveryPolicy, StreamsLogger } from '@app/redis-streams';
import type { StreamSettings } from './jetstream.setup.js';

/**
 * Options of {@link JetStreamServer}, named as the Redis transport's where they mean the same. Only
 * `url` and `group` are required; the others default to the configuration's defaults.
 */
export interface JetStreamServerOptions extends Partial<DeliveryPolicy>, Partial<StreamSettings> {
  /** `nats://host:port`, several separated by commas. */
  url: string;
  /** Prepended to stream, subject and consumer names. */
  prefix?: string;
  /** The consuming app: its durable consumers are named after it, so every app sees every event. */
  group: string;
  /** This instance, in logs and dead letters; instances of one app share its durable consumers. */
  consumer?: string;
  /** Streams to read, as `STREAMS` names them. Default: the streams of the event types that have handlers. */
  streams?: readonly string[];
  /** Messages asked for per pull. */
  batchSize?: number;
  /** Messages pulled and not yet settled (running or queued behind their correlation id). */
  maxInFlight?: number;
  /** How long one pull waits for messages (at least 1 s). */
  blockMs?: number;
  /** As on Redis: `correlation` handles the events of one checkout one after the other, `none` hands every one over at once. */
  ordering?: 'correlation' | 'none';
  /** How long a message stays with an instance that stopped reporting progress (crashed) before JetStream delivers it again. */
  claimIdleMs?: number;
  /** How long `close()` waits for running handlers. */
  drainMs?: number;
  logger?: StreamsLogger;
}

export type ResolvedJetStreamOptions = Required<Omit<JetStreamServerOptions, 'streams'>> & Pick<JetStreamServerOptions, 'streams'>;

/** The settings every app takes from its configuration. */
function configuredSettings(config: AppConfig) {
  return {
    batchSize: config.STREAM_BATCH_SIZE,
    maxInFlight: config.STREAM_MAX_IN_FLIGHT,
    blockMs: config.STREAM_BLOCK_MS,
    maxAttempts: config.STREAM_MAX_ATTEMPTS,
    retryDelayMs: config.STREAM_RETRY_DELAY_MS,
    maxRetryDelayMs: config.STREAM_RETRY_MAX_DELAY_MS,
    claimIdleMs: config.STREAM_CLAIM_IDLE_MS,
    drainMs: config.SHUTDOWN_DRAIN_MS,
    ...streamSettingsFromConfig(config),
  } satisfies Partial<JetStreamServerOptions>;
}

/** How the streams are kept, from `NATS_*`. */
export function streamSettingsFromConfig(config: AppConfig): StreamSettings {
  return { replicas: config.NATS_REPLICAS, duplicateWindowMs: config.NATS_DUPLICATE_WINDOW_MS, maxAgeMs: config.NATS_MAX_AGE_MS };
}

export function resolveJetStreamOptions(options: JetStreamServerOptions): ResolvedJetStreamOptions {
  return {
    prefix: '',
    consumer: `${hostname()}-${process.pid}`,
    ...configuredSettings(new EnvSchema()),
    ordering: 'correlation',
    ...withoutUndefined(options),
    logger: options.logger ?? createLogger('nats-jetstream', 'info'),
  };
}

/** Server options from the app configuration; `CONSUMER_GROUP` and `CONSUMER_NAME` override the app's defaults when set. */
export function jetStreamOptionsFromConfig(
  config: AppConfig,
  options: Pick<JetStreamServerOptions, 'group'> & Partial<JetStreamServerOptions>,
): JetStreamServerOptions {
  return {
    url: config.NATS_URL,
    prefix: config.NATS_PREFIX,
    ...configuredSettings(config),
    ...withoutUndefined(options),
    ...(config.CONSUMER_GROUP !== '' && { group: config.CONSUMER_GROUP }),
    ...(config.CONSUMER_NAME !== '' && { consumer: config.CONSUMER_NAME }),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
