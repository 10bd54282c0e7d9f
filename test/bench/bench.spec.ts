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
    const before = { series: new Map(), byUrl: new Map(), reached: [], unreachable: [] };
    const after = { series: new Map(), byUrl: new Map(), reached: [], unreachable: [] };
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

describe('knee search', () => {
  it('bisects on multiples of 5 until the knee is known to the resolution asked', async () => {
    const { nextBisection } = await bench('rate.sweep.mjs');
    expect(nextBisection(40, 80, 5)).toBe(60);
    expect(nextBisection(5, 20, 5)).toBe(15);
    expect(nextBisection(60, 80, 5)).toBe(70);
    expect(nextBisection(60, 70, 5)).toBeUndefined();
    expect(nextBisection(0, 5, 5)).toBeUndefined();
    expect(nextBisection(5, 10, 2)).toBe(8);
  });
});

describe('knee search against a system whose knee is 62/s', () => {
  // Checkouts end 10 ms after their intended send time up to 62/s and 1 s after above it; the verdicts depend only on those times.
  const context = (knee: number) => ({
    driver: {
      style: 'orchestrated',
      inFlight: 0,
      run: (_body: unknown, planned: string, sentAt: number) =>
        Promise.resolve({ planned, outcome: 'succeeded', sentAt, doneAt: sentAt + (rate <= knee ? 10 : 1_000) }),
      abandon: () => undefined,
      close: () => Promise.resolve(),
    },
    nextCheckout: () => ({ planned: 'success', body: {} }),
    keep: () => undefined,
    drainSeconds: 0.5,
    streamProbe: undefined,
    progress: { begin: () => undefined, update: () => undefined, end: () => undefined, note: () => undefined },
  });
  let rate = 0;

  it('doubles from 5/s to the first failing rate, then bisects to ±5/s', async () => {
    const { findKnee } = await bench('rate.sweep.mjs');
    const ctx = context(62);
    const tried: number[] = [];
    const search = await findKnee(
      {
        ...ctx,
        progress: {
          ...ctx.progress,
          begin: (label: string) => {
            rate = Number(/open (\d+)\/s/.exec(label)?.[1]);
            tried.push(rate);
          },
        },
      },
      { startRate: 5, maxRate: 400, resolution: 5, stepSeconds: 0.2, p99LimitMs: 250 },
    );
    expect(tried).toEqual([5, 10, 20, 40, 80, 60, 70]);
    expect({ knee: search.knee, firstFailing: search.firstFailing, resolvedTo: search.resolvedTo }).toEqual({ knee: 60, firstFailing: 70, resolvedTo: 5 });
  });
});

describe('targets', () => {
  const round = (n: number, rates: [number, boolean, number, number][], closedRate = 130) => {
    const steps = rates.map(([rate, sustained, p50, p99]) => ({
      ...step({ load: { kind: 'open', rate }, endToEnd: { ...step().endToEnd, p50, p99 } }),
      verdict: { sustained, reasons: [] },
    }));
    const sustained = rates.filter(([, ok]) => ok).map(([rate]) => rate);
    const failing = rates.filter(([, ok]) => !ok).map(([rate]) => rate);
    const knee = sustained.length === 0 ? null : Math.max(...sustained);
    const firstFailing = failing.length === 0 ? null : Math.min(...failing);
    return {
      round: n,
      closed: step({ load: { kind: 'closed', users: 50 }, throughput: closedRate }),
      sweep: { steps, knee, firstFailing, resolvedTo: firstFailing === null ? null : (firstFailing - (knee ?? 0)) / 2 },
    };
  };
  const components = [{ name: 'postgres', cpuMs: 4_000, msPerCheckout: 4 }];
  const cost = (ms: number) => ({ rate: 40, totalMsPerCheckout: ms, components });

  it('states every target of the issue with its measured value and by how much it is missed', async () => {
    const { evaluateTargets } = await bench('bench.targets.mjs');
    const orchestrated = {
      style: 'orchestrated',
      rounds: [
        round(1, [
          [5, true, 10, 40],
          [10, true, 11, 50],
          [20, true, 12, 90],
          [40, false, 80, 400],
          [30, true, 20, 200],
          [35, false, 50, 300],
        ]),
        round(2, [
          [5, true, 10, 40],
          [10, true, 11, 50],
          [20, true, 14, 120],
          [40, false, 80, 400],
          [30, false, 60, 300],
        ]),
      ],
      cost: cost(6),
    };
    const choreographed = {
      style: 'choreographed',
      rounds: [
        round(
          1,
          [
            [5, true, 30, 100],
            [10, false, 90, 300],
          ],
          60,
        ),
      ],
      cost: cost(10),
    };
    const rest = { seconds: 10, coresBusy: 0.1, share: 0.05, machineShare: 0.06, components: [] };
    const calibration = { cpuMsPerTransaction: 0.5 };
    const targets = evaluateTargets(
      { styles: [orchestrated, choreographed], rest, calibration, cores: 2, invariantsPassed: true },
      { events: 50_000, seconds: 2, eventsPerSecond: 25_000 },
    );
    expect(
      targets.map((t: { subject: string; target: string; met: boolean | null; measured: string; shortBy: string }) => [
        t.subject,
        t.met,
        t.measured,
        t.shortBy,
      ]),
    ).toEqual([
      ['system', false, '5.00% of 2 cores (0.100 cores) over 10.0 s', '3.00 points (2.5× the bound)'],
      ['orchestrated', false, 'run 1: 90.0 ms; run 2: 120.0 ms', '20.0 ms (1.2× the bound)'],
      ['orchestrated', true, 'run 1: 12.0 ms; run 2: 14.0 ms', ''],
      ['orchestrated', true, '12.0 transactions (6.0 ms at 40/s; one transaction 0.500 ms)', ''],
      ['orchestrated', true, 'run 1: 130.0/s; run 2: 130.0/s', ''],
      ['orchestrated', true, 'run 1: knee 30/s, first failing 35/s (±2.5); run 2: knee 20/s, first failing 30/s (±5)', ''],
      ['choreographed', false, 'run 1: the knee is below 20/s', 'the knee is below 20/s'],
      ['choreographed', false, 'run 1: the knee is below 20/s', 'the knee is below 20/s'],
      ['choreographed', true, '20.0 transactions (10.0 ms at 40/s; one transaction 0.500 ms)', ''],
      ['choreographed', false, 'run 1: 60.0/s', '30.0/s (33% short)'],
      ['choreographed', true, 'run 1: knee 5/s, first failing 10/s (±2.5)', ''],
      ['event store', false, '25,000 events/s (50000 events in 2 s)', '15,000 events/s (38% short)'],
      ['orchestrated and choreographed', true, 'passed', ''],
      ['chaos suite', null, 'not measured by the bench: run `npm run chaos`', ''],
    ]);
  });

  it('reads an unmeasured target as not measured, and a knee at the highest rate tried as unresolved', async () => {
    const { evaluateTargets } = await bench('bench.targets.mjs');
    const capped = {
      style: 'orchestrated',
      rounds: [
        round(1, [
          [5, true, 10, 40],
          [10, true, 10, 40],
        ]),
      ],
      cost: null,
    };
    const targets = evaluateTargets({ styles: [capped], rest: null, calibration: null, cores: 2, invariantsPassed: true }, null);
    expect(targets.filter((t: { met: boolean | null }) => t.met === null).map((t: { target: string }) => t.target)).toEqual([
      'at rest: at most 2% of the cores busy',
      'p99 end to end at 20/s at most 100 ms',
      'p50 end to end at 20/s at most 15 ms',
      'CPU per checkout at most 15 pgbench -N transactions',
      'replay at least 40,000 events/s',
      '`npm run chaos` ends with every checkout terminal and 0 violations',
    ]);
    expect(targets.find((t: { target: string }) => t.target.startsWith('knee'))).toMatchObject({
      met: false,
      measured: 'run 1: knee >= 10/s, the highest rate tried',
      shortBy: 'the highest rate tried was sustained: raise --max-rate',
    });
  });

  it('ranks a style ahead on a measure only when each of its rounds beats each round of the other', async () => {
    const { rankMeasure } = await bench('style.ranking.mjs');
    const rank = (better: 'higher' | 'lower', orchestrated: (number | null)[], choreographed: (number | null)[]) =>
      rankMeasure({ measure: 'm', better, unit: '/s', values: { orchestrated, choreographed } });
    expect(rank('higher', [65, 84.4], [52.2, 62.6])).toMatchObject({ ahead: 'orchestrated', verdict: 'orchestrated, by at least 2.4/s in every round' });
    expect(rank('higher', [57.8, 90.6], [49.6, 64.3])).toMatchObject({ ahead: null, verdict: 'not apart: the runs of the two styles overlap' });
    expect(rank('lower', [30, 40], [20, 25])).toMatchObject({ ahead: 'choreographed', verdict: 'choreographed, by at least 5/s in every round' });
    expect(rank('lower', [30, 40], [20, 30])).toMatchObject({ ahead: null });
    expect(rank('higher', [30, null], [20, 25])).toMatchObject({ ahead: null, verdict: 'not measured in every round' });
    expect(rankMeasure({ measure: 'm', better: 'higher', unit: '', values: { orchestrated: [1, 2] } })).toMatchObject({ ahead: null, verdict: 'one style only' });
  });

  it('ranks the styles on the closed model, its CPU, the knee and the latency at 20/s, round by round', async () => {
    const { rankStyles } = await bench('style.ranking.mjs');
    const style = (name: string, closed: number[], cpu: number[], knees: number[], p50: number[]) => ({
      style: name,
      rounds: closed.map((throughput, i) => ({
        round: i + 1,
        closed: { throughput, cpu: { totalMsPerCheckout: cpu[i] } },
        sweep: { knee: knees[i], steps: [{ load: { kind: 'open', rate: 20 }, endToEnd: { p50: p50[i], p99: 2 * p50[i]! } }] },
      })),
    });
    const ranked = rankStyles([style('orchestrated', [65, 84], [28, 21], [30, 30], [30.7, 31.8]), style('choreographed', [52, 62], [35, 27], [30, 30], [37.2, 25.3])], 20);
    expect(ranked.map((m: { measure: string; ahead: string | null }) => [m.measure, m.ahead])).toEqual([
      ['closed model: checkouts/s', 'orchestrated'],
      ['CPU per checkout in the closed model', null],
      ['knee (highest rate sustained)', null],
      ['p50 end to end at 20/s', null],
      ['p99 end to end at 20/s', null],
    ]);
    expect(ranked[0].values).toEqual({ orchestrated: [65, 84], choreographed: [52, 62] });
  });

  it('says where the time of a replay that misses its bound went, longest phase first, and nothing of one that meets it', async () => {
    const { evaluateTargets } = await bench('bench.targets.mjs');
    const run = { styles: [], rest: null, calibration: null, cores: 2, invariantsPassed: true };
    const phases = { readMs: 2_100, foldMs: 1_200, catchUpMs: 0, writeMs: 800, checkpointMs: 300 };
    const replayOf = (eventsPerSecond: number) => evaluateTargets(run, { events: 138_000, seconds: 4.6, eventsPerSecond, phases }).find((t: { subject: string }) => t.subject === 'event store');
    expect(replayOf(30_000).why).toBe(
      "Of the rebuild's 4.60 s: reading the pages of events (PostgreSQL reads the next page while one is folded) and decoding their rows 2.10 s (46%), " +
        "folding the events into views 1.20 s (26%), replacing the model's rows 0.80 s (17%), adding the events' ids to the checkpoint 0.30 s (7%), " +
        'waiting for the audit worker to store what the live projection applied 0.00 s (0%); the rest (locks, the transaction) 0.20 s (4%) (see "Replay").',
    );
    expect(replayOf(45_000)).toMatchObject({ met: true });
    expect(replayOf(45_000).why).toBeUndefined();
    // A store that does not say (an older event store) leaves the cause unsaid.
    expect(evaluateTargets(run, { events: 138_000, seconds: 4.6, eventsPerSecond: 30_000, phases: null }).find((t: { subject: string }) => t.subject === 'event store').why).toBeUndefined();
  });

  it("says what bounds each missed target from the run's own figures", async () => {
    const { evaluateTargets } = await bench('bench.targets.mjs');
    const hop = (name: string, onSuccessPath: boolean, meanMs: number, httpMs: number | null, ownDatabaseMs: number | null) => ({
      hop: name,
      onSuccessPath,
      count: 50,
      meanMs,
      p50Ms: meanMs,
      p95Ms: meanMs,
      waitingMs: null,
      httpMs,
      participantDatabaseMs: null,
      ownDatabaseMs,
      publishMs: null,
      restMs: null,
    });
    const orchestrated = {
      style: 'orchestrated',
      rounds: [
        round(
          1,
          [
            [5, true, 20, 40],
            [10, true, 21, 50],
            [20, true, 24, 60],
            [40, false, 80, 400],
          ],
          80,
        ),
        round(
          2,
          [
            [5, true, 22, 40],
            [10, true, 22, 50],
            [20, true, 25, 60],
            [40, false, 80, 400],
          ],
          90,
        ),
      ],
      cost: {
        rate: 40,
        totalMsPerCheckout: 25,
        components: [
          { name: 'postgres', cpuMs: 4_000, msPerCheckout: 10 },
          { name: 'saga-orchestrator', cpuMs: 2_000, msPerCheckout: 5 },
        ],
        statements: { unavailable: null, statementsPerCheckout: 43, msPerCheckout: 4.5, top: [] },
      },
      hops: {
        sampled: 50,
        source: '',
        missing: [],
        hops: [
          hop('request → saga started', true, 2, null, null),
          hop('reserveStock (reserveStock)', true, 4, 2, 0.5),
          hop('confirmOrder (confirmReservation + confirmOrder)', true, 6, 4, 0.5),
          hop('transition event recorded → in the durable store (off the answer path)', false, 40, null, null),
        ],
      },
    };
    const cpu = (totalMsPerCheckout: number, machineBusyShare: number) => ({ seconds: 15, machineBusyShare, totalMsPerCheckout, components: [] });
    const [first, second] = orchestrated.rounds as { closed: Record<string, unknown> }[];
    first!.closed = { ...first!.closed, cpu: cpu(24, 0.97) };
    second!.closed = { ...second!.closed, cpu: cpu(21.5, 0.954) };
    const rest = {
      seconds: 10,
      coresBusy: 0.05,
      share: 0.025,
      machineShare: 0.03,
      components: [
        { name: 'shipping', cpuMs: 60, coresBusy: 0.006 },
        { name: 'postgres', cpuMs: 30, coresBusy: 0.003 },
        { name: 'redis', cpuMs: 20, coresBusy: 0.002 },
        { name: 'orders', cpuMs: 10, coresBusy: 0.001 },
      ],
    };
    const targets = evaluateTargets({ styles: [orchestrated], rest, calibration: { cpuMsPerTransaction: 0.25 }, cores: 2, invariantsPassed: true }, null);
    const why = (start: string) => targets.find((t: { target: string }) => t.target.startsWith(start))?.why;
    expect(why('p50')).toBe(
      'Not the load: at 5/s, the lowest rate tried, the p50 was already 20.0 ms (run 1), 22.0 ms (run 2), over the bound, so the chain of steps a checkout waits for sets it. ' +
        'A succeeded checkout is 3 hops one after the other; at 40/s their means add up to 12.0 ms: HTTP to the participants 6.0 ms, ' +
        'the coordinator\'s own writes 1.0 ms, deciding, event-loop and pool waits, transit 5.0 ms (see "Where each millisecond goes"; ' +
        '40/s is above every knee of this style, so these hops hold the queueing of a saturated machine).',
    );
    expect(why('p99')).toBeUndefined();
    expect(why('at rest')).toBe(
      'Over 10.0 s with no traffic the busiest processes were shipping 60 ms, postgres 30 ms, redis 20 ms, and the 4 processes spent 30.0 ms each on average: ' +
        'timers and samplers waking each process (see "Units that hold across machines").',
    );
    expect(why('CPU')).toBe(
      'CPU: 25.0 ms per checkout (100.0 pgbench -N transactions) (measured at 40/s), so 2 fully busy cores allow about 80/s. Most of it: postgres 10.0 ms, saga-orchestrator 5.0 ms. ' +
        'PostgreSQL ran 43.0 statements per checkout (4.50 ms executing and planning them). The bound allows 3.8 ms in all.',
    );
    expect(why('closed')).toBe(
      'The CPU: during the closed model the system spent 24.0 ms of CPU per checkout with 97% of the machine busy (run 1), ' +
        '21.5 ms of CPU per checkout with 95% of the machine busy (run 2); the cores were saturated, and 123/s on 2 cores needs at most 16.3 ms per checkout.',
    );
    second!.closed = { ...second!.closed, cpu: cpu(21.5, 0.6) };
    const { closedCause } = await bench('bench.targets.mjs');
    expect(closedCause(orchestrated, 2, 123)).toMatch(/^Not the CPU alone: .* 60% of the machine busy \(run 2\), so the cores had room;/);
  });

  it('reads a bound met at the lowest rate and missed at 20/s as waiting for the cores', async () => {
    const { latencyCause } = await bench('bench.targets.mjs');
    const loaded = {
      style: 'choreographed',
      rounds: [
        round(1, [
          [5, true, 30, 100],
          [20, true, 45, 160],
        ]),
      ],
      cost: null,
      hops: null,
    };
    expect(latencyCause(loaded, 'p50', 40)).toBe(
      'At 5/s, the lowest rate tried, the p50 was 30.0 ms (run 1): the rest is waiting behind other checkouts for the cores.',
    );
    const hop = { hop: 'OrderCreated → PaymentAuthorized', onSuccessPath: true, count: 9, meanMs: 9, p50Ms: 9, p95Ms: 9, waitingMs: 1, httpMs: 7 };
    const below = {
      ...loaded,
      cost: { rate: 10 },
      hops: { hops: [{ ...hop, participantDatabaseMs: null, ownDatabaseMs: null, publishMs: 0.5, restMs: 0.5 }] },
    };
    expect(latencyCause(below, 'p50', 40)).toMatch(
      /at 10\/s their means add up to 9\.0 ms: HTTP to the participants 7\.0 ms, waiting on the bus 1\.0 ms, publishing 0\.5 ms, deciding, event-loop and pool waits, transit 0\.5 ms \(see "Where each millisecond goes"\)\.$/,
    );
  });

  it('names what bounds a style from the CPU it spends per checkout', async () => {
    const { boundOf } = await bench('bench.targets.mjs');
    const components = [
      { name: 'postgres', cpuMs: 4_000, msPerCheckout: 10 },
      { name: 'load generator (bench)', cpuMs: 1_000, msPerCheckout: 2.5 },
      { name: 'inventory', cpuMs: 2_000, msPerCheckout: 5 },
    ];
    const cost = { rate: 40, totalMsPerCheckout: 15, components };
    expect(boundOf({ style: 'orchestrated', cost }, 2, { cpuMsPerTransaction: 0.5 })).toBe(
      'CPU: 15.0 ms per checkout (30.0 pgbench -N transactions) (measured at 40/s), so 2 fully busy cores allow about 133/s. Most of it: postgres 10.0 ms, inventory 5.0 ms.',
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
