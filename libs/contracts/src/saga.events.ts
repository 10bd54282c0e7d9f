import type { CheckoutStep } from './checkout.events.js';
import type { SagaState } from './saga-states.js';

/** Payloads the orchestrator publishes on `ecommerce.saga.events`, one per state transition. */
export interface SagaEvents {
  SagaTransitioned: {
    sagaId: string;
    checkoutId: string;
    clientId: string;
    from: SagaState;
    to: SagaState;
    /** True when `to` is a terminal state. */
    terminal: boolean;
    orderId?: string;
    totalCents?: number;
    failedStep?: CheckoutStep;
    code?: string;
    reason?: string;
  };
}
