import { type MetricSample, bucketsOf, sumOf } from './metrics-text.js';

export const STYLES = ['orchestrated', 'choreographed'] as const;
export type Style = (typeof STYLES)[number];

export const COUNTERS = ['started', 'succeeded', 'failed', 'compensating'] as const;
export type CounterName = (typeof COUNTERS)[number];

/** What one scrape says of one style. */
export interface StyleReading {
  counters: Record<CounterName, number>;
  /** `checkout_duration_seconds` of the style, every outcome, cumulative. */
  buckets: Map<number, number>;
  inFlight: number;
  /** Orchestrated: sagas parked in COMPENSATION_ECHOUEE. */
  parked?: number;
  /** Choreography: checkouts past their deadline with no terminal event. */
  stuck?: number;
}

/** One scrape of both styles; a style is missing when its app did not answer. */
export interface Reading {
  at: number;
  styles: Partial<Record<Style, StyleReading>>;
}

const NOT_RUNNING = new Set(['SAGA_TERMINEE', 'SAGA_ANNULEE', 'COMPENSATION_ECHOUEE']);

/**
 * The orchestrator's own series: `saga_*` counters (seed names), sagas leaving COMPENSATION_EN_COURS
 * as compensations, and `saga_instances{state}` for what is in flight or parked.
 */
export function orchestratedReading(samples: readonly MetricSample[]): StyleReading {
  const instances = samples.filter((s) => s.name === 'saga_instances');
  return {
    counters: {
      started: sumOf(samples, 'saga_started_total'),
      succeeded: sumOf(samples, 'saga_completed_total'),
      failed: sumOf(samples, 'saga_failed_total'),
      compensating: sumOf(samples, 'saga_state_duration_seconds_count', { state: 'COMPENSATION_EN_COURS' }),
    },
    buckets: bucketsOf(samples, 'checkout_duration_seconds', { pattern: 'orchestrated' }),
    inFlight: instances.filter((s) => !NOT_RUNNING.has(s.labels['state'] ?? '')).reduce((n, s) => n + s.value, 0),
    parked: sumOf(instances, 'saga_instances', { state: 'COMPENSATION_ECHOUEE' }),
  };
}

/**
 * The choreography as the cqrs-projection worker sees it (it consumes every event of the checkout
 * stream): checkouts initiated, their terminal events, the stock releases that end a compensation;
 * in flight is initiated minus ended, as counted by that one process since it started.
 */
export function choreographedReading(projection: readonly MetricSample[], checkout: readonly MetricSample[] | undefined): StyleReading {
  const consumed = (type: string) => sumOf(projection, 'events_consumed_total', { type });
  const started = consumed('CheckoutInitiated');
  // Counted per choreographed checkout: the outcome events of the orchestrator pass on the same stream.
  const succeeded = sumOf(projection, 'saga_choreo_success_total');
  const failed = sumOf(projection, 'saga_choreo_failed_total');
  return {
    counters: { started, succeeded, failed, compensating: consumed('StockReleased') },
    buckets: bucketsOf(projection, 'checkout_duration_seconds', { pattern: 'choreographed' }),
    inFlight: Math.max(0, started - succeeded - failed),
    ...(checkout !== undefined && { stuck: sumOf(checkout, 'choreo_checkouts_stuck') }),
  };
}
