import type { AppConfig } from '@app/config';
import type { OutboxRelayOptions } from '@app/database';

/** Injection token of the {@link CheckoutSettings}. */
export const CHECKOUT_SETTINGS = Symbol('CHECKOUT_SETTINGS');

/** How the checkout app relays its events and guards its carts. */
export interface CheckoutSettings {
  /** Attempts of a cart change that keeps losing the race for the next version, before a 409. */
  cartAttempts: number;
  outbox: Omit<OutboxRelayOptions, 'table'>;
}

/** Settings from the configuration, with the defaults of a single local instance. */
export function checkoutSettingsOf(config: AppConfig, overrides: Partial<CheckoutSettings> = {}): CheckoutSettings {
  return {
    cartAttempts: 20,
    // CheckoutInitiated is the choreography's first hop: relayed as soon as its commit is notified.
    outbox: { batchSize: 500, delayMs: 0, intervalMs: 30_000 },
    ...overrides,
  };
}
