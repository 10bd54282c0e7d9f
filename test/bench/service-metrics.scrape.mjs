// @ts-check
import { callApi } from './api.client.mjs';
import { round } from './latency.recorder.mjs';

/** Time per step of either style, and the services' own view of a checkout's duration. */
export const STEP_HISTOGRAM = 'checkout_step_duration_seconds';
export const CHECKOUT_HISTOGRAM = 'checkout_duration_seconds';
const HISTOGRAMS = [STEP_HISTOGRAM, CHECKOUT_HISTOGRAM];
/** Every HTTP attempt to a participant, by operation; and from an event's occurredAt to the start of its handling, by type. */
export const CALL_HISTOGRAM = 'external_service_call_duration_seconds';
export const EVENT_LATENCY_HISTOGRAM = 'event_latency_seconds';

/**
 * @typedef {{ name: string, labels: Record<string, string>, buckets: Map<number, number>, sum: number, count: number }} HistogramSeries
 * @typedef {{ series: Map<string, HistogramSeries>, byUrl: Map<string, Map<string, HistogramSeries>>, reached: string[], unreachable: string[] }} MetricsSnapshot
 * @typedef {{ metric: string, labels: Record<string, string>, count: number, meanMs: number, p50Ms: number | null, p95Ms: number | null }} HistogramDelta
 */

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The histogram samples of the exposition text that the bench reads. Only `_bucket`, `_sum` and
 * `_count` lines of the named histograms matter here, which a line regex reads reliably; no
 * dependency is worth it for that.
 * @param {string} text
 * @param {Map<string, HistogramSeries>} into series summed over every scraped service
 * @param {readonly string[]} [names] the histograms to read
 */
export function addHistograms(text, into, names = HISTOGRAMS) {
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match === null) continue;
    const [, sample = '', labelText = '', value = ''] = match;
    const name = names.find((h) => sample === `${h}_bucket` || sample === `${h}_sum` || sample === `${h}_count`);
    if (name === undefined) continue;
    /** @type {Record<string, string>} */
    const labels = {};
    for (const [, key = '', raw = ''] of labelText.matchAll(LABEL)) labels[key] = raw.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    const le = labels['le'];
    delete labels['le'];
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    const series = into.get(key) ?? { name, labels, buckets: new Map(), sum: 0, count: 0 };
    into.set(key, series);
    const n = Number(value);
    if (sample.endsWith('_bucket') && le !== undefined) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      series.buckets.set(bound, (series.buckets.get(bound) ?? 0) + n);
    } else if (sample.endsWith('_sum')) series.sum += n;
    else series.count += n;
  }
}

/**
 * Scrapes every /metrics that answers: the series summed over all of them, and each one's own.
 * @param {string[]} urls
 * @param {readonly string[]} [names] the histograms to read
 * @returns {Promise<MetricsSnapshot>}
 */
export async function scrapeHistograms(urls, names = HISTOGRAMS) {
  /** @type {MetricsSnapshot} */
  const snapshot = { series: new Map(), byUrl: new Map(), reached: [], unreachable: [] };
  await Promise.all(
    urls.map(async (url) => {
      const res = await callApi(url, { timeoutMs: 5_000 }).catch(() => undefined);
      if (res === undefined || res.status !== 200 || typeof res.body !== 'string') {
        snapshot.unreachable.push(url);
        return;
      }
      snapshot.reached.push(url);
      addHistograms(res.body, snapshot.series, names);
      const own = new Map();
      addHistograms(res.body, own, names);
      snapshot.byUrl.set(url, own);
    }),
  );
  return snapshot;
}

/**
 * The quantile of a cumulative histogram, interpolated inside its bucket as PromQL's
 * histogram_quantile does. Null when it falls in the +Inf bucket or there is nothing.
 * @param {[number, number][]} cumulative bounds ascending with their cumulative counts
 * @param {number} q 0-1
 */
export function bucketQuantile(cumulative, q) {
  const total = cumulative.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of cumulative) {
    if (count >= rank) {
      if (bound === Infinity) return null;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(count - lowerCount, 1e-9);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return null;
}

/**
 * What the services observed between two scrapes: count, mean, p50 and p95 per series.
 * @param {MetricsSnapshot} before
 * @param {MetricsSnapshot} after
 * @returns {HistogramDelta[]}
 */
export function histogramDeltas(before, after) {
  return seriesDeltas(before.series, after.series);
}

/**
 * @param {Map<string, HistogramSeries>} before
 * @param {Map<string, HistogramSeries>} after
 * @returns {HistogramDelta[]}
 */
export function seriesDeltas(before, after) {
  /** @type {HistogramDelta[]} */
  const deltas = [];
  for (const [key, series] of after) {
    const previous = before.get(key);
    const count = series.count - (previous?.count ?? 0);
    if (count <= 0) continue;
    const sum = series.sum - (previous?.sum ?? 0);
    /** @type {[number, number][]} */
    const cumulative = [...series.buckets.entries()].sort(([a], [b]) => a - b).map(([bound, n]) => [bound, n - (previous?.buckets.get(bound) ?? 0)]);
    const ms = (/** @type {number | null} */ s) => (s === null ? null : round(s * 1_000));
    deltas.push({
      metric: series.name,
      labels: series.labels,
      count,
      meanMs: round((sum / count) * 1_000),
      p50Ms: ms(bucketQuantile(cumulative, 0.5)),
      p95Ms: ms(bucketQuantile(cumulative, 0.95)),
    });
  }
  return deltas.sort((a, b) => JSON.stringify([a.metric, a.labels]).localeCompare(JSON.stringify([b.metric, b.labels])));
}
