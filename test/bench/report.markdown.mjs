// @ts-check
import { TARGETS, boundOf } from './bench.targets.mjs';
import { brief, fixed, head, pct, row } from './markdown.table.mjs';
import { replayPhasesText } from './replay.measure.mjs';
import { rankStyles } from './style.ranking.mjs';
import { hops, units } from './report.units-hops.markdown.mjs';

/**
 * @typedef {object} BenchReport
 * @property {string} generatedAt
 * @property {string} command
 * @property {number} durationSeconds
 * @property {Record<string, unknown>} options
 * @property {Awaited<ReturnType<typeof import('./machine.info.mjs').describeMachine>>['machine']} machine
 * @property {Awaited<ReturnType<typeof import('./machine.info.mjs').describeMachine>>['versions']} versions
 * @property {import('./rest.measure.mjs').RestReport | null} rest
 * @property {import('./calibration.measure.mjs').Calibration | null} calibration
 * @property {import('./bench.run.mjs').StyleReport[]} styles
 * @property {{ style: string, reason: string }[]} skipped
 * @property {import('./replay.measure.mjs').ReplayReport | { skipped: string }} replay
 * @property {import('./bench.targets.mjs').TargetResult[]} targets
 * @property {{ passed: boolean, checks: import('./invariant.check.mjs').InvariantCheck[] }} invariants
 * @property {{ file: string, title: string }[]} charts
 */

/** @param {boolean | null} met */
const verdict = (met) => (met === null ? 'NOT MEASURED' : met ? 'met' : '**MISSED**');

/** @param {BenchReport} r */
function targets(r) {
  const missed = r.targets.filter((t) => t.met === false);
  return [
    '## Targets',
    '',
    ...head(['target', 'style', 'measured', 'result', 'short by']),
    ...r.targets.map((t) => row([t.target, t.subject, t.measured, verdict(t.met), t.shortBy])),
    '',
    missed.length === 0 ? 'No target missed.' : `Missed: ${missed.map((t) => `${t.subject} ${t.target} (${t.measured})`).join('; ')}.`,
    ...(missed.length === 0
      ? []
      : [
          '',
          "What bounds each missed target, from this run's figures:",
          '',
          ...missed.map((t) => `- ${t.subject}, ${t.target}: ${t.why ?? 'nothing this run measured says (see the sections below)'}`),
          '',
          'What bounds each style on this machine (from "Where the time goes" below):',
          '',
          ...r.styles.map((s) => `- ${s.style}: ${boundOf(s, r.machine.cores, r.calibration) ?? 'not measured (`--no-cost`)'}`),
        ]),
  ];
}

/** @param {BenchReport} r */
function invariants(r) {
  return [
    `## Invariants: ${r.invariants.passed ? 'PASSED' : '**FAILED**'}`,
    '',
    ...head(['style', 'invariant', 'checked', 'result', 'notes']),
    ...r.invariants.checks.map((c) =>
      row([c.style, c.name, c.checked, c.passed ? 'passed' : '**FAILED**', [c.note, ...c.violations].filter(Boolean).join('<br>')]),
    ),
  ];
}

/** @param {BenchReport} r */
function closedModel(r) {
  const users = r.options['users'];
  return [
    `## Closed model: ${users} concurrent users, no think time, ${r.options['closedSeconds']} s`,
    '',
    "The seed's scenarios P1/P2 (50 simultaneous users). Each style ran it once per run, the styles alternating. CPU: the system's processes over the step and its drain, from `/proc` like the cost step (what earlier steps left for later, the simulated carrier's moves, included); machine busy: every process of the machine over the same window.",
    '',
    ...head([
      'style',
      'run',
      'checkouts',
      'checkouts/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      '202 ack p50 / p99 ms',
      'errors',
      'unfinished',
      'CPU ms per checkout',
      'machine busy',
    ]),
    ...r.styles.flatMap((s) =>
      s.rounds.map(({ round, closed: c }) =>
        row([
          s.style,
          round,
          c.completed,
          c.throughput,
          c.endToEnd.p50,
          c.endToEnd.p95,
          c.endToEnd.p99,
          c.endToEnd.max,
          c.ack === null ? '-' : `${c.ack.p50} / ${c.ack.p99}`,
          c.outcomes['error'],
          c.outcomes['unfinished'],
          c.cpu === undefined ? '-' : c.cpu.totalMsPerCheckout.toFixed(1),
          c.cpu === undefined ? '-' : `${Math.round(100 * c.cpu.machineBusyShare)}%`,
        ]),
      ),
    ),
  ];
}

/** @param {import('./rate.sweep.mjs').KneeSearch} k */
const kneeText = (k) =>
  k.firstFailing === null
    ? `≥ ${k.knee}/s (the highest rate tried)`
    : `${k.knee === null ? 'none' : `${k.knee}/s`} (first failing ${k.firstFailing}/s, ±${k.resolvedTo})`;

/** @param {BenchReport} r */
function sweep(r) {
  const rounds = Math.max(0, ...r.styles.map((s) => s.rounds.length));
  const lines = [`## Knee (open model, ${r.options['stepSeconds']} s per rate)`, ''];
  lines.push(
    `A rate is sustained when the end-to-end p99 is under ${r.options['p99LimitMs']} ms, the completed rate is within 5% of the arrival rate, neither the outstanding checkouts nor the checkout stream's lag grow, and under 1% of checkouts error or never end. The search starts at ${r.options['startRate']}/s and doubles the rate until one is not sustained (at most ${r.options['maxRate']}/s), then bisects between the highest sustained and the lowest failing rate until the knee is known to ±${r.options['kneeResolution']}/s. The styles ran alternately, ${rounds} times each: the difference between a style's runs is the noise to read the difference between the styles against.`,
    '',
    ...head(['style', ...Array.from({ length: rounds }, (_, i) => `run ${i + 1}`), 'spread between runs']),
    ...r.styles.map((s) => {
      const knees = s.rounds.map((x) => x.sweep.knee ?? 0);
      return row([s.style, ...s.rounds.map((x) => kneeText(x.sweep)), knees.length < 2 ? '-' : `${Math.max(...knees) - Math.min(...knees)}/s`]);
    }),
    '',
  );
  for (const s of r.styles) {
    for (const { round, sweep: k } of s.rounds) {
      lines.push(`### ${s.style}, run ${round}: knee ${kneeText(k)}`, '');
      lines.push(
        ...head([
          'rate/s',
          'achieved/s',
          'sent',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          '202 p99 ms',
          'max outstanding',
          'outstanding growth/s',
          'max stream lag',
          'settled first, s',
          'verdict',
        ]),
      );
      for (const step of k.steps) {
        const b = step.backlog;
        lines.push(
          row([
            step.load.kind === 'open' ? step.load.rate : '-',
            step.throughput,
            step.sent,
            step.endToEnd.p50,
            step.endToEnd.p95,
            step.endToEnd.p99,
            step.ack === null ? '-' : step.ack.p99,
            b.maxOutstanding,
            b.outstandingGrowthPerSecond,
            b.maxStreamLag ?? '-',
            step.settle === null ? '-' : `${step.settle.seconds}${step.settle.quiet ? '' : ' (not quiet)'}`,
            step.verdict.sustained ? 'sustained' : `not sustained: ${step.verdict.reasons.join('; ')}`,
          ]),
        );
      }
      lines.push('');
    }
  }
  return lines;
}

/** @param {BenchReport} r */
function outcomes(r) {
  const mix = /** @type {Record<string, number>} */ (r.options['mix']);
  const names = ['succeeded', 'insufficientStock', 'declined', 'otherFailure', 'error', 'unfinished'];
  return [
    '## Outcome shares',
    '',
    `Planned mix: ${Object.entries(mix)
      .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
      .join(', ')} (closed models and knee searches of every run together; the warm-up and the cost step are left out).`,
    '',
    ...head(['style', ...names, 'mismatched']),
    ...r.styles.map((s) => {
      const total = Object.values(s.outcomes).reduce((a, b) => a + b, 0);
      const mismatched = s.rounds.flatMap((x) => [x.closed, ...x.sweep.steps]).reduce((sum, step) => sum + step.mismatched, 0);
      return row([s.style, ...names.map((n) => `${s.outcomes[n] ?? 0} (${pct(s.outcomes[n] ?? 0, total)})`), mismatched]);
    }),
  ];
}

/** @param {BenchReport} r */
function stepTimes(r) {
  const lines = ["## Time per step (from the services' /metrics)", ''];
  const deltas = r.styles.flatMap((s) => [...s.serviceMetrics.stepTimes, ...s.serviceMetrics.checkoutDurations]);
  const scraped = r.styles.map((s) => `${s.style}: ${s.serviceMetrics.scraped} endpoints answered`).join('; ');
  if (r.styles.every((s) => s.serviceMetrics.stepTimes.length === 0)) {
    lines.push(`No \`checkout_step_duration_seconds\` histogram was found on the services' /metrics (${scraped}), so there is no time per step.`, '');
  }
  if (deltas.length > 0) {
    lines.push("Between the start and the end of each style's run; percentiles interpolated within the buckets, as `histogram_quantile` does.", '');
    lines.push(...head(['metric', 'labels', 'count', 'mean ms', 'p50 ms', 'p95 ms']));
    for (const d of deltas)
      lines.push(
        row([
          d.metric,
          Object.entries(d.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
          d.count,
          d.meanMs,
          d.p50Ms ?? '-',
          d.p95Ms ?? '-',
        ]),
      );
  }
  return lines;
}

/** @param {BenchReport} r */
function whereTheTimeGoes(r) {
  const lines = ['## Where the time goes', ''];
  const measured = r.styles.filter((s) => s.cost !== null && s.cost !== undefined);
  if (measured.length === 0) return [...lines, 'Not measured (`--no-cost`).'];
  lines.push(
    'CPU time of every process of the system over one steady open-model step, after an unmeasured lead-in at the same rate (so the',
    "work earlier steps left for later, the simulated carrier's moves of their parcels, is over), from `/proc` (user + system, exited PostgreSQL backends",
    "included through the postmaster's reaped-children time), divided by the checkouts sent in that step. Once every core is busy,",
    `the rate cannot go past about ${r.machine.cores} × 1,000 ms / (CPU ms per checkout).`,
    '',
  );
  for (const s of measured) {
    const c = /** @type {NonNullable<typeof s.cost>} */ (s.cost);
    const ceiling = c.totalMsPerCheckout === 0 ? '-' : Math.round((r.machine.cores * 1_000) / c.totalMsPerCheckout);
    lines.push(
      `### ${s.style}: ${c.checkouts} checkouts at ${c.rate}/s over ${fixed(c.seconds, 1)} s; **${fixed(c.totalMsPerCheckout, 1)} ms of CPU per checkout** (ceiling ≈ ${ceiling}/s); machine ${Math.round(100 * c.machineBusyShare)}% busy`,
      '',
      ...head(['process', 'CPU s', 'ms per checkout', 'share']),
      ...c.components.map((p) => row([p.name, fixed(p.cpuMs / 1_000), fixed(p.msPerCheckout), pct(p.msPerCheckout, c.totalMsPerCheckout)])),
      '',
    );
    const st = c.statements;
    if (st.unavailable !== null) {
      lines.push(`PostgreSQL statements: not measured, ${st.unavailable}.`, '');
      continue;
    }
    lines.push(
      `PostgreSQL (pg_stat_statements): ${fixed(st.statementsPerCheckout, 1)} statements and ${fixed(st.msPerCheckout)} ms of execution + planning per checkout. The costliest:`,
      '',
      ...head(['statement', 'calls per checkout', 'ms per checkout', 'mean ms']),
      ...st.top
        .slice(0, 10)
        .map((t) => row([`\`${t.query.replace(/\|/g, '\\|')}\``, fixed(t.callsPerCheckout), fixed(t.msPerCheckout, 3), fixed(t.meanMs, 3)])),
      '',
    );
  }
  return lines;
}

/**
 * Which style is ahead on each measure run once per round, only where every round of one beats every
 * round of the other: the gap must be wider than the noise between runs of one style.
 * @param {BenchReport} r
 */
function ranking(r) {
  if (r.styles.length !== 2) return [];
  const ranked = rankStyles(r.styles, TARGETS.at20.rate);
  const styles = r.styles.map((s) => s.style);
  const valuesOf = (/** @type {(number | null)[]} */ values) => values.map((v) => (v === null ? '-' : brief(v))).join(', ');
  return [
    '## Ranking the styles',
    '',
    'Per measure, the value of each round; a style is ahead only when each of its rounds beats each round of the other.',
    '',
    ...head(['measure', ...styles.map((s) => `${s} (by round)`), 'ahead']),
    ...ranked.map((m) => row([m.measure, ...styles.map((s) => valuesOf(m.values[s] ?? [])), m.verdict])),
    '',
  ];
}

/** @param {BenchReport} r */
function replay(r) {
  const p = r.replay;
  if ('skipped' in p) return ['## Replay', '', `Not measured: ${p.skipped}.`];
  return [
    '## Replay',
    '',
    `\`POST /api/event-store/projections/${p.projection}/rebuild\`: ${p.events} events in ${p.seconds} s, **${p.eventsPerSecond.toLocaleString('en-US')} events/s** (call took ${p.wallSeconds} s).`,
    ...(p.phases == null ? [] : ['', `Where its time went, as the event store measured it: ${replayPhasesText(p.phases, p.seconds)}.`]),
  ];
}

/** @param {BenchReport} r */
function environment(r) {
  const m = r.machine;
  const v = r.versions;
  return [
    '## Machine and versions',
    '',
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${m.memoryGiB} GiB; ${m.os} (${m.kernel}); load average at start ${m.loadAverageAtStart.join(' ')}`,
    `- ${v.project}, commit ${v.commit}; Node.js ${v.node}; PostgreSQL ${v.postgres}; Redis ${v.redis}`,
    `- Bus of the system under test: ${r.options['bus'] === 'nats' ? 'NATS JetStream (\`BUS=nats\`)' : 'Redis Streams'}`,
    `- Packages: ${Object.entries(v.packages)
      .map(([k, ver]) => `${k} ${ver}`)
      .join(', ')}`,
    `- The bench ran on the same machine as the system, so both share its cores.`,
  ];
}

const METHOD = [
  '## Method',
  '',
  "- One style at a time, each with SKUs of its own created through `POST /inventory/products`: one with plenty of stock (successes, and declined cards with `tok_chargeDeclined`, which fail at payment and are compensated), one with no stock (insufficient stock). The outcomes are dealt in the mix's exact proportions.",
  '- End-to-end latency, the same for both styles: from the request being sent to the terminal state being observed. Orchestrated: the answer of `POST /api/saga/checkout` (201 SAGA_TERMINEE / 409 SAGA_ANNULEE). Choreographed: the `CheckoutSucceeded`/`CheckoutFailed` event read off `ecommerce.checkout.events` with a blocking XREAD (no polling); the 202 of `POST /checkout/choreo` is the acknowledgement latency.',
  '- Open model: arrivals at a constant rate; each latency counts from the intended send time, so a generator that falls behind cannot hide queueing. Closed model: each user sends its next checkout when the previous one is terminal.',
  '- Latencies are recorded in HDR histograms (microsecond resolution, 3 significant digits); report.json holds each one encoded, for any HDR tool.',
  '- After each step the bench waits for its checkouts to end before the next one, so a step never inherits a backlog; before each step it also waits (up to `--settle-seconds`) until the system\'s processes keep under 10% of the cores busy, so the work a step leaves for later (the simulated carrier moves each parcel a few seconds after its last move; consumers catch up) is not measured as the next step\'s. "settled first" in the knee tables is that wait.',
  "- Units: the system's CPU at rest and a `pgbench -N` calibration are measured first, before any traffic; CPU per checkout is then also given in calibration transactions, which move far less between machines than milliseconds.",
];

const AUTOVACUUM_OFF = /autovacuum off/;
export const AUTOVACUUM_WARNING =
  "PostgreSQL ran with autovacuum off: no table was vacuumed, so the dead rows every update and delete leaves pile up and each statement " +
  "costs more as the run goes on. The figures can then be worse than on PostgreSQL's default (on), which the Compose stack runs.";

/**
 * The report a reader opens first: the targets, whether the invariants held, then the numbers and how they were taken.
 * @param {BenchReport} r
 */
export function markdownOf(r) {
  const lines = [
    `# Checkout benchmark: orchestrated vs choreographed (${r.generatedAt})`,
    '',
    `Command: \`${r.command}\` (${r.durationSeconds} s)`,
    '',
    ...(r.options['smoke'] === true
      ? ['A smoke run: seconds per phase and low rates, to show the bench works end to end. Its numbers say nothing of the targets.', '']
      : []),
    ...(AUTOVACUUM_OFF.test(r.versions.postgres) ? [AUTOVACUUM_WARNING, ''] : []),
    ...r.skipped.map((s) => `Not run: ${s.style}, ${s.reason}.`),
    ...(r.skipped.length > 0 ? [''] : []),
    ...targets(r),
    ...ranking(r),
    '',
    ...units(r),
    ...invariants(r),
    '',
    ...closedModel(r),
    '',
    ...sweep(r),
    ...outcomes(r),
    '',
    ...stepTimes(r),
    '',
    ...whereTheTimeGoes(r),
    ...hops(r),
    ...replay(r),
    '',
    '## Charts',
    '',
    ...r.charts.flatMap((c) => [`![${c.title}](${c.file})`, '']),
    ...environment(r),
    '',
    ...METHOD,
    '',
  ];
  return lines.join('\n');
}
