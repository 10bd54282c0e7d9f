// @ts-check
import { runStep } from './load.step.mjs';

/** Share of the target rate a sustained step must achieve, and the most its backlogs may grow by each second. */
export const RATE_TOLERANCE = 0.05;
/** Errors and unfinished checkouts a sustained step may have, as a share of those sent. */
const ERROR_TOLERANCE = 0.01;
/** Below this, at low rates, a backlog's growth per second is sampling noise (a handful of checkouts). */
const MIN_GROWTH = 2;

/**
 * @typedef {{ sustained: boolean, reasons: string[] }} Verdict
 * @typedef {import('./load.step.mjs').StepReport & { verdict: Verdict }} SweepStep
 */

/**
 * Whether an open-model step was sustained: p99 under the limit, the rate achieved within 5%, no
 * growing count of outstanding checkouts nor growing stream lag, and next to no errors.
 * @param {import('./load.step.mjs').StepReport} step
 * @param {number} p99LimitMs
 * @returns {Verdict}
 */
export function verdictOf(step, p99LimitMs) {
  const rate = step.load.kind === 'open' ? step.load.rate : step.throughput;
  const reasons = [];
  if (step.completed === 0) reasons.push('no checkout completed');
  if (step.endToEnd.p99 >= p99LimitMs) reasons.push(`p99 ${step.endToEnd.p99} ms >= ${p99LimitMs} ms`);
  if (step.throughput < rate * (1 - RATE_TOLERANCE)) reasons.push(`achieved ${step.throughput}/s < ${Math.round((1 - RATE_TOLERANCE) * 100)}% of ${rate}/s`);
  if (step.backlog.outstandingGrowthPerSecond > Math.max(MIN_GROWTH, rate * RATE_TOLERANCE)) {
    reasons.push(`outstanding checkouts grow by ${step.backlog.outstandingGrowthPerSecond}/s`);
  }
  const lagGrowth = step.backlog.streamLagGrowthPerSecond;
  const entryRate = step.backlog.streamEntriesPerSecond ?? 0;
  if (lagGrowth !== null && lagGrowth > Math.max(MIN_GROWTH * 5, entryRate * RATE_TOLERANCE)) reasons.push(`stream lag grows by ${lagGrowth} entries/s`);
  const bad = (step.outcomes['error'] ?? 0) + (step.outcomes['unfinished'] ?? 0);
  if (bad > step.sent * ERROR_TOLERANCE) reasons.push(`${bad} of ${step.sent} checkouts errored or never ended`);
  return { sustained: reasons.length === 0, reasons };
}

/**
 * @typedef {object} KneeSearch
 * @property {SweepStep[]} steps in the order they ran
 * @property {number | null} knee the highest rate sustained; null when not even the first was
 * @property {number | null} firstFailing the lowest rate not sustained; null when the highest rate tried was
 * @property {number | null} resolvedTo half the gap between the two: the knee is known to within this many checkouts/s, null when no rate failed
 */

/**
 * The step of a knee search at `rate`; undefined when the search did not try it.
 * @param {KneeSearch} search
 * @param {number} rate
 */
export const stepAtRate = (search, rate) => search.steps.find((step) => step.load.kind === 'open' && step.load.rate === rate);

/** Rates the search tries are multiples of this, so runs and machines try the same rates. */
const RATE_GRAIN = 5;

/**
 * The next rate to try between the highest sustained and the lowest failing one: their middle, on
 * the grain, strictly between them; undefined when the gap is already within ± `resolution`.
 * @param {number} sustained
 * @param {number} failing
 * @param {number} resolution
 */
export function nextBisection(sustained, failing, resolution) {
  if ((failing - sustained) / 2 <= resolution) return undefined;
  const middle = Math.round((sustained + failing) / 2 / RATE_GRAIN) * RATE_GRAIN;
  if (middle > sustained && middle < failing) return middle;
  const halfway = Math.round((sustained + failing) / 2);
  return halfway > sustained && halfway < failing ? halfway : undefined;
}

/**
 * Finds the knee: from `startRate`, doubles the arrival rate until a rate is not sustained (or
 * `maxRate` is), then bisects between the highest sustained and the lowest failing rate until the
 * knee is known to ± `resolution`. Every step drains before the next, so one rate's backlog never
 * weighs on the next one.
 * @param {import('./load.step.mjs').StepContext} context
 * @param {{ startRate: number, maxRate: number, resolution: number, stepSeconds: number, p99LimitMs: number, label?: string }} options
 * @returns {Promise<KneeSearch>}
 */
export async function findKnee(context, { startRate, maxRate, resolution, stepSeconds, p99LimitMs, label = '' }) {
  /** @type {SweepStep[]} */
  const steps = [];
  /** @param {number} rate */
  const sustains = async (rate) => {
    const report = await runStep(context, { label: `${label}open ${rate}/s`, load: { kind: 'open', rate }, seconds: stepSeconds });
    const verdict = verdictOf(report, p99LimitMs);
    steps.push({ ...report, verdict });
    context.progress.note(`  ${verdict.sustained ? 'sustained' : `not sustained: ${verdict.reasons.join('; ')}`}`);
    return verdict.sustained;
  };
  /** @type {number | null} */
  let knee = null;
  /** @type {number | null} */
  let firstFailing = null;
  for (let rate = Math.min(startRate, maxRate); firstFailing === null; rate = Math.min(rate * 2, maxRate)) {
    if (!(await sustains(rate))) firstFailing = rate;
    else if (rate >= maxRate) return { steps, knee: rate, firstFailing: null, resolvedTo: null };
    else knee = rate;
  }
  for (let rate = nextBisection(knee ?? 0, firstFailing, resolution); rate !== undefined; rate = nextBisection(knee ?? 0, firstFailing, resolution)) {
    if (await sustains(rate)) knee = rate;
    else firstFailing = rate;
  }
  return { steps, knee, firstFailing, resolvedTo: (firstFailing - (knee ?? 0)) / 2 };
}
