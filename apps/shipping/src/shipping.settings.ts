import type { AppConfig } from '@app/config';
import type { OutboxRelayOptions } from '@app/database';

/** Injection token of the {@link ShippingSettings}. */
export const SHIPPING_SETTINGS = Symbol('SHIPPING_SETTINGS');

/** How the shipping app watches parcels and how its simulated carrier behaves. */
export interface ShippingSettings {
  /** A parcel with no carrier news for this long gets a DEADLINE incident (PARCEL_DEADLINE_MS). */
  deadlineMs: number;
  /** How often the deadline is checked (PARCEL_DEADLINE_SCAN_INTERVAL_MS). */
  scanIntervalMs: number;
  /** Parcels examined per scan. */
  scanBatchSize: number;
  /** A refund decided this long ago and not finished is taken up again by the scan. */
  refundRetryMs: number;
  carrier: {
    /** CARRIER_SIMULATOR. */
    enabled: boolean;
    /** CARRIER_STEP_MS. */
    stepMs: number;
    /** CARRIER_INCIDENT_RATE. */
    incidentRate: number;
  };
  outbox: Omit<OutboxRelayOptions, 'table'>;
}

/** Settings from the configuration, with the defaults of a single local instance. */
export function shippingSettingsOf(config: AppConfig, overrides: Partial<ShippingSettings> = {}): ShippingSettings {
  return {
    deadlineMs: config.PARCEL_DEADLINE_MS,
    scanIntervalMs: config.PARCEL_DEADLINE_SCAN_INTERVAL_MS,
    scanBatchSize: 100,
    refundRetryMs: config.PARTICIPANT_TIMEOUT_MS * (config.PARTICIPANT_RETRIES + 1) * 2,
    carrier: { enabled: config.CARRIER_SIMULATOR, stepMs: config.CARRIER_STEP_MS, incidentRate: config.CARRIER_INCIDENT_RATE },
    outbox: { batchSize: 500, delayMs: 0, intervalMs: 30_000 },
    ...overrides,
  };
}
