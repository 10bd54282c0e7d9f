// @ts-check
import * as hdr from 'hdr-histogram-js';

/**
 * @typedef {object} LatencySummary
 * @property {number} count
 * @property {number} mean milliseconds, like every field below
 * @property {number} p50
 * @property {number} p90
 * @property {number} p95
 * @property {number} p99
 * @property {number} p999
 * @property {number} max
 * @property {string} hdr the histogram (microseconds), compressed base64, for later analysis with any HDR tool
 */

/** Microseconds from 1 µs to 10 minutes at 3 significant digits: every latency a checkout can have. */
const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

/** An HDR histogram of latencies given in milliseconds (fractions kept to the microsecond). */
export class LatencyRecorder {
  constructor() {
    this.histogram = newHistogram();
  }

  /** @param {number} ms */
  record(ms) {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1_000)));
  }

  get count() {
    return this.histogram.totalCount;
  }

  /** @param {number} percentile 0-100 */
  percentileMs(percentile) {
    return this.count === 0 ? 0 : this.histogram.getValueAtPercentile(percentile) / 1_000;
  }

  /** @param {LatencyRecorder} other */
  add(other) {
    this.histogram.add(other.histogram);
  }

  /** @returns {LatencySummary} */
  summary() {
    const ms = (/** @type {number} */ p) => round(this.percentileMs(p));
    return {
      count: this.count,
      mean: this.count === 0 ? 0 : round(this.histogram.mean / 1_000),
      p50: ms(50),
      p90: ms(90),
      p95: ms(95),
      p99: ms(99),
      p999: ms(99.9),
      max: this.count === 0 ? 0 : round(this.histogram.maxValue / 1_000),
      hdr: hdr.encodeIntoCompressedBase64(this.histogram),
    };
  }
}

/** @param {number} value */
export const round = (value) => Math.round(value * 100) / 100;
