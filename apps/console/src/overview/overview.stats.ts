import { bucketIncrease, histogramQuantile } from './histogram.quantile.js';
import { COUNTERS, type CounterName, type Reading, STYLES, type Style, type StyleReading } from './overview.reading.js';

export const RATE_WINDOW_MS = 60_000;
export const QUANTILE_WINDOW_MS = 5 * 60_000;
export const HISTORY_MS = 10 * 60_000;

export interface RatePoint {
  at: number;
  /** Per minute, over the minute before `at`. */
  perMinute: Record<CounterName, number>;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface StyleStats {
  reachable: boolean;
  series: RatePoint[];
  /** Over the last five minutes (or since the console started, when sooner). */
  latency: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; checkouts: number };
  inFlight: number | null;
  parked: number | null;
  stuck: number | null;
}

const increase = (later: number, earlier: number): number => (later >= earlier ? later - earlier : later);
const ms = (seconds: number | null): number | null => (seconds === null ? null : Math.round(seconds * 1000));

function quantiles(later: StyleReading, earlier: StyleReading | undefined) {
  const buckets = bucketIncrease(later.buckets, earlier?.buckets);
  return {
    p50Ms: ms(histogramQuantile(buckets, 0.5)),
    p95Ms: ms(histogramQuantile(buckets, 0.95)),
    p99Ms: ms(histogramQuantile(buckets, 0.99)),
    checkouts: Math.max(0, ...buckets.values()),
  };
}

/** The earliest reading of `style` taken at or after `since`, before `index`. */
function baseOf(readings: readonly Reading[], index: number, style: Style, since: number): Reading | undefined {
  for (let i = 0; i < index; i++) if (readings[i]!.at >= since && readings[i]!.styles[style] !== undefined) return readings[i];
  return undefined;
}

function pointAt(readings: readonly Reading[], index: number, style: Style): RatePoint | undefined {
  const reading = readings[index]!;
  const now = reading.styles[style];
  const base = baseOf(readings, index, style, reading.at - RATE_WINDOW_MS);
  const then = base?.styles[style];
  if (now === undefined || base === undefined || then === undefined) return undefined;
  const perMinute = Object.fromEntries(
    COUNTERS.map((name) => [name, (increase(now.counters[name], then.counters[name]) * 60_000) / (reading.at - base.at)]),
  ) as Record<CounterName, number>;
  const { p50Ms, p95Ms, p99Ms } = quantiles(now, then);
  return { at: reading.at, perMinute, p50Ms, p95Ms, p99Ms };
}

/** Per style: rates per minute and latency quantiles over the readings kept, and the current counts. */
export function overviewStats(readings: readonly Reading[]): Record<Style, StyleStats> {
  const last = readings.at(-1);
  const stats = (style: Style): StyleStats => {
    const series = readings.map((_, i) => pointAt(readings, i, style)).filter((p) => p !== undefined);
    const current = last?.styles[style];
    const base = last === undefined ? undefined : baseOf(readings, readings.length - 1, style, last.at - QUANTILE_WINDOW_MS);
    return {
      reachable: current !== undefined,
      series,
      latency: current === undefined ? { p50Ms: null, p95Ms: null, p99Ms: null, checkouts: 0 } : quantiles(current, base?.styles[style]),
      inFlight: current?.inFlight ?? null,
      parked: current?.parked ?? null,
      stuck: current?.stuck ?? null,
    };
  };
  return Object.fromEntries(STYLES.map((style) => [style, stats(style)])) as Record<Style, StyleStats>;
}
