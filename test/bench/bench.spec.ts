import { wellFormedSvg } from './svg.check.js';

/** The bench is plain JavaScript run by node; a computed specifier keeps the compiler from looking for its types. */
const bench = (file: string) => import(`./${file}`);

const step = (overrides: Record<string, unknown> = {}) => ({
  label: 'open 100/s',
  load: { kind: 'open', rate: 100 },
  seconds: 10,
  sent: 1_000,
  completed: 1_000,
  throughput: 99,
  outcomes: { succeeded: 800, insufficientStock: 100, declined: 100, otherFailure: 0, error: 0, unfinished: 0 },
  mismatched: 0,
  errorSamples: [],
  endToEnd: { count: 1_000, mean: 20, p50: 18, p90: 30, p95: 35, p99: 60, p999: 80, max: 90, hdr: '' },
  ack: null,
  backlog: { maxOutstanding: 4, outstandingGrowthPerSecond: 0.1, maxStreamLag: null, streamLagGrowthPerSecond: null, streamEntriesPerSecond: null },
  ...overrides,
});

describe('outcome mix', () => {
  it('deals the planned outcomes in the exact proportions over every window of ten', async () => {
    const { outcomeDealer } = await bench('outcome.mix.mjs');
    const deal = outcomeDealer({ success: 0.8, insufficientStock: 0.1, declined: 0.1 });
    for (let window = 0; window < 5; window++) {
      const counts: Record<string, number> = {};
      for (let i = 0; i < 10; i++) {
        const outcome = deal() as string;
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      expect(counts).toEqual({ success: 8, insufficientStock: 1, declined: 1 });
    }
  });

  it('builds each planned outcome from its real cause', async () => {
    const { checkoutRequestOf } = await bench('outcome.mix.mjs');
    const skus = { ok: 'B-OK', short: 'B-SHORT' };
    expect(checkoutRequestOf('success', skus, 1)).toMatchObject({ items: [{ sku: 'B-OK', quantity: 1 }], payment: { token: 'tok_visa' } });
    expect(checkoutRequestOf('insufficientStock', skus, 2)).toMatchObject({ items: [{ sku: 'B-SHORT' }] });
    expect(checkoutRequestOf('declined', skus, 3)).toMatchObject({ items: [{ sku: 'B-OK' }], payment: { token: 'tok_chargeDeclined' } });
  });
});

describe('backlog growth', () => {
  it('is flat for a backlog that holds, and the arrival surplus for one that grows', async () => {
    const { growthPerSecond } = await bench('backlog.trend.mjs');
    const times = Array.from({ length: 40 }, (_, i) => i * 0.25);
    expect(growthPerSecond(times.map((t, i) => ({ t, value: 5 + (i % 3) })))).toBeCloseTo(0, 0);
    expect(growthPerSecond(times.map((t) => ({ t, value: 12 * t })))).toBeCloseTo(12, 5);
  });
});

describe('sweep verdict', () => {
  it('sustains a step within every bound', async () => {
    const { verdictOf } = await bench('rate.sweep.mjs');
    expect(verdictOf(step(), 250)).toEqual({ sustained: true, reasons: [] });
  });

  it.each([
    ['a p99 over the limit', { endToEnd: { ...step().endToEnd, p99: 250 } }, 'p99 250 ms >= 250 ms'],
    ['an achieved rate short by more than 5%', { throughput: 94 }, 'achieved 94/s < 95% of 100/s'],
    ['a growing count of outstanding checkouts', { backlog: { ...step().backlog, outstandingGrowthPerSecond: 6 } }, 'outstanding checkouts grow by 6/s'],
    [
      'a growing stream lag',
      { backlog: { ...step().backlog, maxStreamLag: 900, streamLagGrowthPerSecond: 80, streamEntriesPerSecond: 800 } },
      'stream lag grows by 80 entries/s',
    ],
    ['errors', { outcomes: { ...step().outcomes, error: 11 } }, '11 of 1000 checkouts errored or never ended'],
  ])('refuses %s', async (_, overrides, reason) => {
    const { verdictOf } = await bench('rate.sweep.mjs');
    expect(verdictOf(step(overrides), 250)).toEqual({ sustained: false, reasons: [reason] });
  });
});

describe("the services' histograms", () => {
  const exposition = (stock: [number, number, number], count: number, sum: number) => `# HELP checkout_step_duration_seconds Time per step
# TYPE checkout_step_duration_seconds histogram
checkout_step_duration_seconds_bucket{le="0.01",pattern="orchestrated",step="stock"} ${stock[0]}
checkout_step_duration_seconds_bucket{le="0.05",pattern="orchestrated",step="stock"} ${stock[1]}
checkout_step_duration_seconds_bucket{le="+Inf",pattern="orchestrated",step="stock"} ${stock[2]}
checkout_step_duration_seconds_sum{pattern="orchestrated",step="stock"} ${sum}
checkout_step_duration_seconds_count{pattern="orchestrated",step="stock"} ${count}
other_metric_bucket{le="1"} 4
`;

  it('reports what was observed between two scrapes, with quantiles interpolated in the buckets', async () => {
    const { addHistograms, histogramDeltas } = await bench('service-metrics.scrape.mjs');
    const before = { series: new Map(), reached: [], unreachable: [] };
    const after = { series: new Map(), reached: [], unreachable: [] };
    addHistograms(exposition([10, 10, 10], 10, 0.05), before.series);
    addHistograms(exposition([10, 110, 110], 110, 3.05), after.series);
    expect(histogramDeltas(before, after)).toEqual([
      { metric: 'checkout_step_duration_seconds', labels: { pattern: 'orchestrated', step: 'stock' }, count: 100, meanMs: 30, p50Ms: 30, p95Ms: 48 },
    ]);
  });

  it('has no quantile in the +Inf bucket', async () => {
    const { bucketQuantile } = await bench('service-metrics.scrape.mjs');
    expect(
      bucketQuantile(
        [
          [0.1, 1],
          [Infinity, 10],
        ],
        0.95,
      ),
    ).toBeNull();
    expect(bucketQuantile([], 0.5)).toBeNull();
  });
});

describe('targets', () => {
  it('says plainly which target is met, missed or not measured', async () => {
    const { evaluateTargets } = await bench('bench.targets.mjs');
    const style = (name: string, knee: number | null, steps: unknown[]) => ({ style: name, sweep: { knee, steps } });
    const orchestrated = style('orchestrated', 150, [
      step({ load: { kind: 'open', rate: 100 } }),
      step({ load: { kind: 'open', rate: 150 } }),
      step({ load: { kind: 'open', rate: 200 } }),
    ]);
    const choreographed = style('choreographed', 50, [step({ load: { kind: 'open', rate: 50 } })]);
    expect(evaluateTargets([orchestrated, choreographed], { events: 40_000, seconds: 1, eventsPerSecond: 40_000 })).toEqual([
      expect.objectContaining({ subject: 'orchestrated', met: false, measured: 'knee at 150/s', shortBy: '50/s (25%)' }),
      expect.objectContaining({ subject: 'orchestrated', met: true, measured: 'p95 35 ms', shortBy: '' }),
      expect.objectContaining({ subject: 'choreographed', met: false, measured: 'knee at 50/s (the highest rate tried; the real knee may be higher)' }),
      expect.objectContaining({ subject: 'choreographed', met: false, measured: 'the sweep did not run at 100/s' }),
      expect.objectContaining({ subject: 'event store', met: true }),
    ]);
    expect(evaluateTargets([], null)).toEqual([expect.objectContaining({ subject: 'event store', met: null, measured: 'not measured' })]);
  });

  it('names what bounds a style from the CPU it spends per checkout', async () => {
    const { boundOf } = await bench('bench.targets.mjs');
    const components = [
      { name: 'postgres', cpuMs: 4_000, msPerCheckout: 10 },
      { name: 'load generator (bench)', cpuMs: 1_000, msPerCheckout: 2.5 },
      { name: 'inventory', cpuMs: 2_000, msPerCheckout: 5 },
    ];
    const cost = { rate: 40, totalMsPerCheckout: 15, components };
    expect(boundOf({ style: 'orchestrated', cost }, 2)).toBe(
      'CPU: 15.0 ms per checkout (measured at 40/s), so 2 fully busy cores allow about 133/s; 200/s needs at most 10 ms per checkout. Most of it: postgres 10.0 ms, inventory 5.0 ms.',
    );
    expect(boundOf({ style: 'orchestrated', cost: null }, 2)).toBeNull();
  });
});

describe('svg check', () => {
  it('accepts a well-formed chart and refuses broken ones', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10"><g class="a"><path d="M0,0"/><text>p99 &amp; p95 > 1</text></g></svg>';
    expect(wellFormedSvg(svg)).toEqual({ ok: true, problem: undefined });
    expect(wellFormedSvg(svg.replace('</g>', '')).ok).toBe(false);
    expect(wellFormedSvg(svg.replace('&amp;', '&')).ok).toBe(false);
    expect(wellFormedSvg(svg.replace('width="10"', 'width=10')).ok).toBe(false);
    expect(wellFormedSvg(`${svg}<svg xmlns="http://www.w3.org/2000/svg"></svg>`).ok).toBe(false);
    expect(wellFormedSvg('<html></html>').ok).toBe(false);
  });
});
