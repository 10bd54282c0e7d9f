import { counter, histogram } from './metric.factory.js';

/** How a checkout is coordinated: the `pattern` label the comparison dashboards split on. */
export type SagaPattern = 'orchestrated' | 'choreographed';

/** How a checkout ended: `failed` covers a compensated checkout and one whose compensation is parked. */
export type CheckoutOutcome = 'succeeded' | 'failed';

/**
 * The metrics both saga styles report the same way, so the dashboards compare them series for series:
 * `checkout_duration_seconds{pattern,outcome}` from the request that starts a checkout to its terminal
 * state, and `checkout_step_duration_seconds{pattern,step}` per business step (`stock`, `order`,
 * `payment`, `confirmation`).
 */
export const checkoutMetrics = () => ({
  duration: histogram<'pattern' | 'outcome'>({
    name: 'checkout_duration_seconds',
    help: 'From the request that starts a checkout to its terminal state, by saga style and outcome',
    labelNames: ['pattern', 'outcome'],
  }),
  stepDuration: histogram<'pattern' | 'step'>({
    name: 'checkout_step_duration_seconds',
    help: 'Time a checkout spent in one business step (stock, order, payment, confirmation), by saga style',
    labelNames: ['pattern', 'step'],
  }),
});

/**
 * The choreography's counterparts of the orchestrator's `saga_completed_total` and
 * `saga_failed_total{reason,step}` (seed names), counted once per checkout from its terminal event.
 */
export const choreographyMetrics = () => ({
  succeeded: counter({ name: 'saga_choreo_success_total', help: 'Choreographed checkouts that succeeded' }),
  failed: counter<'reason' | 'step'>({
    name: 'saga_choreo_failed_total',
    help: 'Choreographed checkouts that failed, by code and step',
    labelNames: ['reason', 'step'],
  }),
});
