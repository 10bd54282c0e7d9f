import { type CheckoutOutcome, type SagaPattern, checkoutMetrics, choreographyMetrics } from '@app/observability';
import type { ChoreographyObservation } from './choreography.observations.js';

const PATTERN: SagaPattern = 'choreographed';

/** The choreography's side of the comparison, on the series the orchestrator reports too. */
export const projectionMetrics = () => ({ ...checkoutMetrics(), ...choreographyMetrics() });

export type ProjectionMetrics = ReturnType<typeof projectionMetrics>;

/** Reports one observation of a choreographed checkout. */
export function recordObservation(metrics: ProjectionMetrics, observation: ChoreographyObservation): void {
  switch (observation.kind) {
    case 'step':
      return metrics.stepDuration.observe({ pattern: PATTERN, step: observation.step }, observation.seconds);
    case 'succeeded':
      metrics.succeeded.inc();
      break;
    case 'failed':
      metrics.failed.inc({ reason: observation.reason, step: observation.step });
      break;
  }
  const outcome: CheckoutOutcome = observation.kind;
  if (observation.seconds !== undefined) metrics.duration.observe({ pattern: PATTERN, outcome }, observation.seconds);
}
