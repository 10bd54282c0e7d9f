import type { AppConfig } from '@app/config';
import type { OutboxRelayOptions } from '@app/database';

/** Injection token of the {@link DeadlineSettings}. */
export const DEADLINE_SETTINGS = Symbol('DEADLINE_SETTINGS');

/** How the worker watches choreographed checkouts and compensates the stuck ones. */
export interface DeadlineSettings {
  /** A choreographed checkout with no terminal event after this long is stuck (CHECKOUT_DEADLINE_MS). */
  deadlineMs: number;
  /** How often stuck checkouts are looked for (CHECKOUT_STUCK_SCAN_INTERVAL_MS). */
  scanIntervalMs: number;
  /** Checkouts examined per scan. */
  scanBatchSize: number;
  /** Whether a stuck checkout is compensated at once (CHECKOUT_AUTO_COMPENSATE) or only reported. */
  autoCompensate: boolean;
  /**
   * How long a compensation's claim keeps other instances off the checkout: longer than its three
   * participant calls with their retries, so only a crashed instance's claim ever lapses.
   */
  claimMs: number;
  /** How often an instance that finds the checkout claimed looks again for the outcome. */
  claimPollMs: number;
  outbox: Omit<OutboxRelayOptions, 'table'>;
}

/** Settings from the configuration, with the defaults of a single local instance. */
export function deadlineSettingsOf(config: AppConfig, overrides: Partial<DeadlineSettings> = {}): DeadlineSettings {
  const callMs = config.PARTICIPANT_TIMEOUT_MS * (config.PARTICIPANT_RETRIES + 1);
  return {
    deadlineMs: config.CHECKOUT_DEADLINE_MS,
    scanIntervalMs: config.CHECKOUT_STUCK_SCAN_INTERVAL_MS,
    scanBatchSize: 100,
    autoCompensate: config.CHECKOUT_AUTO_COMPENSATE,
    claimMs: 3 * callMs + 5_000,
    claimPollMs: 50,
    outbox: { batchSize: 500, delayMs: 0, intervalMs: 30_000 },
    ...overrides,
  };
}
