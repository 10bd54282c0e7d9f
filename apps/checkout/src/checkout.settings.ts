import type { AppConfig } from '@app/config';
import type { OutboxRelayOptions } from '@app/database';

/** Injection token of the {@link CheckoutSettings}. */
export const CHECKOUT_SETTINGS = Symbol('CHECKOUT_SETTINGS');

/** How the checkout app relays its events, guards its carts and watches its choreographed checkouts. */
export interface CheckoutSettings {
  /** A choreographed checkout with no terminal event after this long is stuck (CHECKOUT_DEADLINE_MS). */
  deadlineMs: number;
  /** How often stuck checkouts are looked for (CHECKOUT_STUCK_SCAN_INTERVAL_MS). */
  scanIntervalMs: number;
  /** Checkouts examined per scan. */
  scanBatchSize: number;
  /** Whether a stuck checkout is compensated at once (CHECKOUT_AUTO_COMPENSATE) or only reported. */
  autoCompensate: boolean;
  /** Attempts of a cart change that keeps losing the race for the next version, before a 409. */
  cartAttempts: number;
  outbox: Omit<OutboxRelayOptions, 'table'>;
}

/** Settings from the configuration, with the defaults of a single local instance. */
export function checkoutSettingsOf(config: AppConfig, overrides: Partial<CheckoutSettings> = {}): CheckoutSettings {
  return {
    deadlineMs: config.CHECKOUT_DEADLINE_MS,
    scanIntervalMs: config.CHECKOUT_STUCK_SCAN_INTERVAL_MS,
    scanBatchSize: 100,
    autoCompensate: config.CHECKOUT_AUTO_COMPENSATE,
    cartAttempts: 20,
    // CheckoutInitiated is the choreography's first hop: relayed as soon as its commit is notified.
    outbox: { batchSize: 500, delayMs: 0, intervalMs: 30_000 },
    ...overrides,
  };
}
