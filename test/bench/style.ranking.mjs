// @ts-check
import { brief } from './markdown.table.mjs';
import { stepAtRate } from './rate.sweep.mjs';

/**
 * One measure of the ranking: each style's value in each of its rounds, and which way is better.
 * @typedef {object} RankedMeasure
 * @property {string} measure
 * @property {'higher' | 'lower'} better
 * @property {string} unit
 * @property {Record<string, (number | null)[]>} values per style, one value per round (null where the round did not measure it)
 * @property {string | null} ahead the style ahead in every round, or null
 * @property {string} verdict
 */

/** @param {import('./bench.run.mjs').StyleReport} s @param {number} rate @param {'p50' | 'p99'} p */
const percentileAt = (s, rate, p) => s.rounds.map((r) => stepAtRate(r.sweep, rate)?.endToEnd[p] ?? null);

/**
 * Which style is ahead on one measure, judged against the noise the rounds show: a style is ahead
 * only when every one of its rounds beats every round of the other, so the gap between the styles is
 * wider than the spread between two runs of either. A round that did not measure counts as unknown.
 * @param {Omit<RankedMeasure, 'ahead' | 'verdict'>} m
 * @returns {RankedMeasure}
 */
export function rankMeasure(m) {
  const styles = Object.keys(m.values);
  const complete = styles.every((style) => (m.values[style] ?? []).length > 0 && (m.values[style] ?? []).every((v) => v !== null));
  if (styles.length !== 2 || !complete) {
    return { ...m, ahead: null, verdict: styles.length !== 2 ? 'one style only' : 'not measured in every round' };
  }
  const [a, b] = /** @type {[string, string]} */ (styles);
  const range = (/** @type {string} */ style) => {
    const values = /** @type {number[]} */ (m.values[style]);
    return { min: Math.min(...values), max: Math.max(...values) };
  };
  const [ra, rb] = [range(a), range(b)];
  const beats = (/** @type {{ min: number, max: number }} */ x, /** @type {{ min: number, max: number }} */ y) =>
    m.better === 'higher' ? x.min > y.max : x.max < y.min;
  const ahead = beats(ra, rb) ? a : beats(rb, ra) ? b : null;
  if (ahead === null) return { ...m, ahead, verdict: 'not apart: the runs of the two styles overlap' };
  const [win, lose] = ahead === a ? [ra, rb] : [rb, ra];
  const gap = m.better === 'higher' ? win.min - lose.max : lose.min - win.max;
  return { ...m, ahead, verdict: `${ahead}, by at least ${brief(Math.round(gap * 10) / 10)}${m.unit} in every round` };
}

/**
 * The measures the bench runs once per round for each style, ranked against the noise between rounds.
 * @param {import('./bench.run.mjs').StyleReport[]} styles
 * @param {number} rate the rate whose latency is compared (the targets' 20/s)
 * @returns {RankedMeasure[]}
 */
export function rankStyles(styles, rate) {
  /** @param {(s: import('./bench.run.mjs').StyleReport) => (number | null)[]} of */
  const valuesOf = (of) => Object.fromEntries(styles.map((s) => [s.style, of(s)]));
  return [
    rankMeasure({
      measure: 'closed model: checkouts/s',
      better: 'higher',
      unit: '/s',
      values: valuesOf((s) => s.rounds.map((r) => r.closed.throughput)),
    }),
    rankMeasure({
      measure: 'CPU per checkout in the closed model',
      better: 'lower',
      unit: ' ms',
      values: valuesOf((s) => s.rounds.map((r) => r.closed.cpu?.totalMsPerCheckout ?? null)),
    }),
    rankMeasure({ measure: 'knee (highest rate sustained)', better: 'higher', unit: '/s', values: valuesOf((s) => s.rounds.map((r) => r.sweep.knee)) }),
    rankMeasure({ measure: `p50 end to end at ${rate}/s`, better: 'lower', unit: ' ms', values: valuesOf((s) => percentileAt(s, rate, 'p50')) }),
    rankMeasure({ measure: `p99 end to end at ${rate}/s`, better: 'lower', unit: ' ms', values: valuesOf((s) => percentileAt(s, rate, 'p99')) }),
  ];
}
