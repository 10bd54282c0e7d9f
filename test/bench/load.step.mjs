// @ts-check
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyRecorder, round } from './latency.recorder.mjs';
import { EXPECTED_CODE } from './outcome.mix.mjs';
import { closedLoad, openLoad } from './load.generators.mjs';
import { growthPerSecond } from './backlog.trend.mjs';
import { cpuSince, cpuSnapshot } from './cost.measure.mjs';

/**
 * @typedef {{ kind: 'open', rate: number } | { kind: 'closed', users: number }} LoadShape
 * @typedef {{ t: number, outstanding: number, lag: number | null }} BacklogSample
 */

/**
 * @typedef {object} StepReport
 * @property {string} label
 * @property {LoadShape} load
 * @property {number} seconds how long checkouts were sent
 * @property {{ seconds: number, quiet: boolean } | null} settle how long the step waited for the system to settle first, and whether it did
 * @property {Omit<import('./cost.measure.mjs').CostReport, 'checkouts' | 'statements'>} [cpu] the CPU the step and its drain cost, when asked for
 * @property {number} sent
 * @property {number} completed terminal states observed (succeeded or failed)
 * @property {number} throughput completed checkouts per second (open model: those that ended within the sending window)
 * @property {Record<string, number>} outcomes succeeded / insufficientStock / declined / otherFailure / error / unfinished
 * @property {number} mismatched checkouts that did not end the way their planned outcome says
 * @property {string[]} errorSamples
 * @property {import('./latency.recorder.mjs').LatencySummary} endToEnd
 * @property {import('./latency.recorder.mjs').LatencySummary | null} ack choreography only
 * @property {{ maxOutstanding: number, outstandingGrowthPerSecond: number, maxStreamLag: number | null, streamLagGrowthPerSecond: number | null, streamEntriesPerSecond: number | null }} backlog
 */

/**
 * @typedef {object} StepContext
 * @property {import('./checkout.drivers.mjs').CheckoutDriver} driver
 * @property {() => { planned: import('./outcome.mix.mjs').PlannedOutcome, body: import('./outcome.mix.mjs').CheckoutRequest }} nextCheckout
 * @property {(results: import('./checkout.drivers.mjs').CheckoutResult[]) => void} keep where the results go (for the invariant check)
 * @property {number} drainSeconds
 * @property {(() => Promise<{ lag: number | null, entriesRead: number }>) | undefined} streamProbe choreography: the slowest group's backlog and the entries read so far
 * @property {import('./progress.display.mjs').ProgressDisplay} progress
 * @property {(() => Promise<{ seconds: number, quiet: boolean }>) | undefined} settle waits, before a step, until the work earlier steps left for later is done
 */

/** @param {import('./checkout.drivers.mjs').CheckoutResult} result */
function categoryOf(result) {
  if (result.outcome === 'succeeded') return 'succeeded';
  if (result.outcome !== 'failed') return result.outcome;
  if (result.code === EXPECTED_CODE.insufficientStock) return 'insufficientStock';
  if (result.code === EXPECTED_CODE.declined) return 'declined';
  return 'otherFailure';
}

/** @param {import('./checkout.drivers.mjs').CheckoutResult} result */
function matchesPlan(result) {
  if (result.planned === 'success') return result.outcome === 'succeeded';
  return result.outcome === 'failed' && result.code === EXPECTED_CODE[result.planned];
}

/**
 * Runs one load (a warm-up, the closed model, or one rate of the sweep) once the system settled,
 * then waits for its checkouts to be terminal, and sums it up; with `measureCpu`, with the CPU of
 * the system's processes from the end of the settling to the end of the drain.
 * @param {StepContext} context
 * @param {{ label: string, load: LoadShape, seconds: number, measureCpu?: boolean, settleFirst?: boolean }} step `settleFirst: false`
 *   for a step that must follow the one before at once (the cost step after its lead-in)
 * @returns {Promise<StepReport>}
 */
export async function runStep(context, { label, load, seconds, measureCpu = false, settleFirst = true }) {
  const { driver, nextCheckout, streamProbe, progress } = context;
  const settle = settleFirst ? ((await context.settle?.()) ?? null) : null;
  if (settle !== null && settle.seconds >= 2) {
    progress.note(`  waited ${settle.seconds} s for the system to settle${settle.quiet ? '' : ' (it did not: the step starts anyway)'}`);
  }
  const cpuBefore = measureCpu ? await cpuSnapshot() : null;
  /** @type {import('./checkout.drivers.mjs').CheckoutResult[]} */
  const results = [];
  const e2e = new LatencyRecorder();
  const ack = new LatencyRecorder();
  /** @param {number} sentAt */
  const launch = async (sentAt) => {
    const { planned, body } = nextCheckout();
    const result = await driver.run(body, planned, sentAt);
    results.push(result);
    if (result.ackMs !== undefined) ack.record(result.ackMs);
    if (result.doneAt !== undefined && (result.outcome === 'succeeded' || result.outcome === 'failed')) e2e.record(result.doneAt - result.sentAt);
  };

  /** @type {BacklogSample[]} */
  const samples = [];
  const startedAt = performance.now();
  const entriesAtStart = (await streamProbe?.())?.entriesRead ?? 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const probe = await streamProbe?.().catch(() => undefined);
      const t = (performance.now() - startedAt) / 1_000;
      samples.push({ t, outstanding: driver.inFlight, lag: probe?.lag ?? null });
      progress.update(Math.min(t, seconds), {
        sent: results.length + driver.inFlight,
        done: results.length,
        outstanding: driver.inFlight,
        p99: e2e.percentileMs(99),
      });
      await sleep(250);
    }
  })();

  progress.begin(`${driver.style} ${label}`, seconds);
  const generated = load.kind === 'open' ? await openLoad({ rate: load.rate, seconds, launch }) : await closedLoad({ users: load.users, seconds, launch });
  const windowEnd = generated.startedAt + seconds * 1_000;
  const entriesAtEnd = (await streamProbe?.())?.entriesRead ?? 0;
  const sendingSamples = samples.filter((s) => s.t <= seconds);

  const drained = await Promise.race([Promise.all(generated.inFlight).then(() => true), sleep(context.drainSeconds * 1_000).then(() => false)]);
  if (!drained) {
    driver.abandon();
    await Promise.all(generated.inFlight);
  }
  sampling = false;
  await sampler;
  context.keep(results);
  const cpu = cpuBefore === null ? undefined : await cpuSince(cpuBefore, results.length);

  const completed = results.filter((r) => r.outcome === 'succeeded' || r.outcome === 'failed');
  const elapsedSeconds =
    load.kind === 'open' ? seconds : (completed.reduce((last, r) => Math.max(last, r.doneAt ?? 0), windowEnd) - generated.startedAt) / 1_000;
  const counted = load.kind === 'open' ? completed.filter((r) => (r.doneAt ?? Infinity) <= windowEnd).length : completed.length;
  /** @type {Record<string, number>} */
  const outcomes = { succeeded: 0, insufficientStock: 0, declined: 0, otherFailure: 0, error: 0, unfinished: 0 };
  for (const result of results) outcomes[categoryOf(result)] = (outcomes[categoryOf(result)] ?? 0) + 1;
  const lags = sendingSamples.map((s) => s.lag).filter((lag) => lag !== null);
  const report = {
    label,
    load,
    seconds,
    settle,
    ...(cpu !== undefined && { cpu }),
    sent: results.length,
    completed: completed.length,
    throughput: round(counted / elapsedSeconds),
    outcomes,
    mismatched: results.filter((r) => !matchesPlan(r)).length,
    errorSamples: [...new Set(results.filter((r) => r.error !== undefined).map((r) => /** @type {string} */ (r.error)))].slice(0, 5),
    endToEnd: e2e.summary(),
    ack: driver.style === 'choreographed' ? ack.summary() : null,
    backlog: {
      maxOutstanding: sendingSamples.reduce((max, s) => Math.max(max, s.outstanding), 0),
      outstandingGrowthPerSecond: round(growthPerSecond(sendingSamples.map((s) => ({ t: s.t, value: s.outstanding })))),
      maxStreamLag: lags.length === 0 ? null : Math.max(...lags),
      streamLagGrowthPerSecond:
        lags.length === 0 ? null : round(growthPerSecond(sendingSamples.flatMap((s) => (s.lag === null ? [] : [{ t: s.t, value: s.lag }])))),
      streamEntriesPerSecond: streamProbe === undefined ? null : round((entriesAtEnd - entriesAtStart) / seconds),
    },
  };
  progress.end(report);
  return report;
}
