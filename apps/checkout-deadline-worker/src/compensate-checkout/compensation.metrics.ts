import { counter, gauge } from '@app/observability';

/** The deadline watch of the choreography, on the default registry. */
export const compensationMetrics = () => ({
  stuckTotal: counter({
    name: 'choreo_checkouts_stuck_total',
    help: 'Choreographed checkouts found without a terminal event past CHECKOUT_DEADLINE_MS (each counted once)',
  }),
  stuck: gauge({ name: 'choreo_checkouts_stuck', help: 'Choreographed checkouts past their deadline, neither ended nor compensated' }),
  compensated: counter<'step'>({
    name: 'choreo_checkouts_compensated_total',
    help: 'Stuck choreographed checkouts compensated at their deadline, by the step they were stuck at',
    labelNames: ['step'],
  }),
});
