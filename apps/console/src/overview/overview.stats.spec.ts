import { histogramQuantile } from './histogram.quantile.js';
import { parseMetrics } from './metrics-text.js';
import { choreographedReading, orchestratedReading, type Reading } from './overview.reading.js';
import { overviewStats } from './overview.stats.js';

const orchestrator = (started: number, completed: number, le: Record<string, number>, states: Record<string, number> = {}) =>
  [
    `saga_started_total{app="saga-orchestrator"} ${started}`,
    `saga_completed_total{app="saga-orchestrator"} ${completed}`,
    `saga_failed_total{reason="PAYMENTS.DECLINED",step="payment",app="saga-orchestrator"} 1`,
    ...Object.entries(le).map(([bound, n]) => `checkout_duration_seconds_bucket{le="${bound}",pattern="orchestrated",outcome="succeeded"} ${n}`),
    ...Object.entries(states).map(([state, n]) => `saga_instances{state="${state}"} ${n}`),
  ].join('\n');

describe('overview statistics from the apps’ /metrics', () => {
  it('interpolates quantiles inside their bucket as histogram_quantile does', () => {
    const buckets = new Map([
      [0.1, 50],
      [0.2, 100],
      [Infinity, 100],
    ]);
    expect(histogramQuantile(buckets, 0.5)).toBeCloseTo(0.1);
    expect(histogramQuantile(buckets, 0.75)).toBeCloseTo(0.15);
    expect(histogramQuantile(new Map(), 0.5)).toBeNull();
  });

  it('reads in flight and parked sagas from saga_instances, and the choreography from the projection worker', () => {
    const reading = orchestratedReading(parseMetrics(orchestrator(5, 3, {}, { AUTORISATION_PAIEMENT: 2, SAGA_TERMINEE: 3, COMPENSATION_ECHOUEE: 1 })));
    expect({ inFlight: reading.inFlight, parked: reading.parked, started: reading.counters.started }).toEqual({ inFlight: 2, parked: 1, started: 5 });
    const projection = parseMetrics(
      [
        'events_consumed_total{topic="t",type="CheckoutInitiated",consumer="cqrs-projection"} 7',
        // 4 choreographed and 2 orchestrated checkouts succeeded, 1 of each failed: the orchestrated ones are not the choreography's.
        'events_consumed_total{topic="t",type="CheckoutSucceeded",consumer="cqrs-projection"} 6',
        'events_consumed_total{topic="t",type="CheckoutFailed",consumer="cqrs-projection"} 2',
        'saga_choreo_success_total 4',
        'saga_choreo_failed_total{reason="PAYMENTS.CARD_DECLINED",step="payment"} 1',
      ].join('\n'),
    );
    const choreo = choreographedReading(projection, parseMetrics('choreo_checkouts_stuck 2'));
    expect({ inFlight: choreo.inFlight, stuck: choreo.stuck, succeeded: choreo.counters.succeeded }).toEqual({ inFlight: 2, stuck: 2, succeeded: 4 });
  });

  it('turns counters into rates per minute and bucket increases into the quantiles of that window', () => {
    const at = (seconds: number, started: number, le: Record<string, number>): Reading => ({
      at: seconds * 1000,
      styles: { orchestrated: orchestratedReading(parseMetrics(orchestrator(started, started, le))) },
    });
    const readings = [at(0, 10, { '0.1': 10, '1': 10, '+Inf': 10 }), at(30, 40, { '0.1': 10, '1': 40, '+Inf': 40 })];
    const { orchestrated, choreographed } = overviewStats(readings);
    expect(orchestrated.series.at(-1)?.perMinute.started).toBe(60);
    // The 30 checkouts of the window all took 0.1-1 s; the 10 before it do not count.
    expect(orchestrated.latency.p50Ms).toBe(550);
    expect(orchestrated.latency.checkouts).toBe(30);
    expect(choreographed.reachable).toBe(false);
  });
});
