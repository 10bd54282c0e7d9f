import type { CheckoutStep } from './checkout.events.js';

/** Payloads the orchestrator publishes on `ecommerce.saga.events`, one per state transition. */
export interface SagaEvents {
  SagaTransitioned: {
    sagaId: string;
    checkoutId: string;
    clientId: string;
    from: string;
    to: string;
    /** True when `to` is a terminal state. */
    terminal: boolean;
    orderId?: string;
    totalCents?: number;
    failedStep?: CheckoutStep;
    code?: string;
    reason?: string;
  };
}
