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
 * Raises the arrival rate step by step until a rate is not sustained; the knee is the highest rate
 * that was. Every step drains before the next, so one rate's backlog never weighs on the next one.
 * @param {import('./load.step.mjs').StepContext} context
 * @param {{ rates: number[], stepSeconds: number, p99LimitMs: number }} options
 * @returns {Promise<{ steps: SweepStep[], knee: number | null }>}
 */
export async function runSweep(context, { rates, stepSeconds, p99LimitMs }) {
  /** @type {SweepStep[]} */
  const steps = [];
  /** @type {number | null} */
  let knee = null;
  for (const rate of rates) {
    const report = await runStep(context, { label: `open ${rate}/s`, load: { kind: 'open', rate }, seconds: stepSeconds });
    const verdict = verdictOf(report, p99LimitMs);
    steps.push({ ...report, verdict });
    context.progress.note(`  ${verdict.sustained ? 'sustained' : `not sustained: ${verdict.reasons.join('; ')}`}`);
    if (!verdict.sustained) break;
    knee = rate;
  }
  return { steps, knee };
}
