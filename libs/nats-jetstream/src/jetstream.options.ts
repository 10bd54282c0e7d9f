import { type DeliveryServerOptions, type ResolvedDeliveryOptions, deliveryOptionsFromConfig, resolveDeliveryOptions } from '@app/bus-delivery';
import type { AppConfig } from '@app/config';
import type { StreamSettings } from './jetstream.setup.js';

/**
 * Options of {@link JetStreamServer}: the shared ones of both transports (`DeliveryServerOptions`,
 * named as on Redis because they mean the same) and how the streams are kept. Only `url` and `group`
 * are required; the others default to the configuration's defaults.
 */
export interface JetStreamServerOptions extends DeliveryServerOptions, Partial<StreamSettings> {
  /** `nats://host:port`, several separated by commas. */
  url: string;
  /** Prepended to stream, subject and consumer names. */
  prefix?: string;
}

export type ResolvedJetStreamOptions = ResolvedDeliveryOptions<JetStreamServerOptions>;

/** How the streams are kept, from `NATS_*`. */
export function streamSettingsFromConfig(config: AppConfig): StreamSettings {
  return { replicas: config.NATS_REPLICAS, duplicateWindowMs: config.NATS_DUPLICATE_WINDOW_MS, maxAgeMs: config.NATS_MAX_AGE_MS };
}

/** Fills in the defaults of {@link JetStreamServerOptions}: the configuration's own, then the transport's. */
export function resolveJetStreamOptions(options: JetStreamServerOptions): ResolvedJetStreamOptions {
  return resolveDeliveryOptions(options, (defaults) => ({ prefix: '', ...streamSettingsFromConfig(defaults) }), 'nats-jetstream');
}

/** Server options from the app configuration; `CONSUMER_GROUP` and `CONSUMER_NAME` override the app's defaults when set. */
export function jetStreamOptionsFromConfig(
  config: AppConfig,
  options: Pick<JetStreamServerOptions, 'group'> & Partial<JetStreamServerOptions>,
): JetStreamServerOptions {
  return deliveryOptionsFromConfig(config, { url: config.NATS_URL, prefix: config.NATS_PREFIX, ...streamSettingsFromConfig(config) }, options);
}
