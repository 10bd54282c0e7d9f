// @ts-check
import { fixed, head, row } from './markdown.table.mjs';

/**
 * A tracing mode: off (the SDK not loaded at all), or on with a share of the checkouts sampled.
 * @typedef {{ name: string, sampledPercent: number | null }} TracingMode
 */

/**
 * One style measured in one mode, in one round.
 * @typedef {object} TracingSample
 * @property {number} round
 * @property {string} mode
 * @property {import('./bench.options.mjs').Style} style
 * @property {number} sent checkouts sent at the steady rate
 * @property {number} cpuMsPerCheckout CPU of the system's processes per checkout sent
 * @property {number} cpuMsPerTransaction the calibration of that mode's start (`pgbench -N`)
 * @property {number} transactionsPerCheckout cpuMsPerCheckout in calibrated transactions
 * @property {number} spansPerCheckout spans the OTLP sink received per checkout sent
 * @property {number} p50Ms end to end
 * @property {number} p99Ms
 * @property {number} restCoresBusy the system's CPU at rest in that mode, in cores
 * @property {{ name: string, msPerCheckout: number }[]} components
 */

/**
 * @typedef {object} TracingSummary
 * @property {string} mode
 * @property {import('./bench.options.mjs').Style} style
 * @property {number} cpuMsPerCheckout median over the rounds
 * @property {number} transactionsPerCheckout median over the rounds
 * @property {number | null} overheadPercent CPU per checkout against the mode "off" (null for off itself, or without it)
 * @property {number} spansPerCheckout
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} restCoresBusy
 * @property {number[]} roundsMs each round's CPU per checkout, so the noise shows next to the difference
 */

/** @param {string} text @returns {TracingMode} */
export function modeOf(text) {
  if (text === 'off') return { name: 'off', sampledPercent: null };
  const percent = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100) throw new Error(`A tracing mode is "off" or a sampled percentage in (0, 100], got "${text}"`);
  return { name: `${percent}%`, sampledPercent: percent };
}

/**
 * The environment that puts the system in `mode`, through the standard OTEL_* variables only:
 * a share of the checkouts is sampled whole (parent-based ratio), and spans go to `endpoint`.
 * @param {TracingMode} mode
 * @param {string} endpoint
 * @returns {Record<string, string>}
 */
export function tracingEnvOf(mode, endpoint) {
  if (mode.sampledPercent === null) return { OTEL_SDK_DISABLED: 'true' };
  return {
    OTEL_SDK_DISABLED: 'false',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(mode.sampledPercent / 100),
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  };
}

/** @param {number[]} values */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * Medians per mode and style, and the overhead of each mode against "off" in CPU per checkout: a
 * ratio of two figures of one machine minutes apart, which needs no unit that holds across
 * machines. The calibrated transactions are given beside it, for comparison with other reports.
 * @param {TracingSample[]} samples
 * @param {string[]} modes in the order to report them
 * @returns {TracingSummary[]}
 */
export function summarize(samples, modes) {
  const styles = [...new Set(samples.map((s) => s.style))];
  /** @type {TracingSummary[]} */
  const summary = [];
  for (const style of styles) {
    const of = (/** @type {string} */ mode) => samples.filter((s) => s.style === style && s.mode === mode);
    const offMs = of('off').length === 0 ? null : median(of('off').map((s) => s.cpuMsPerCheckout));
    for (const mode of modes) {
      const runs = of(mode);
      if (runs.length === 0) continue;
      const ms = median(runs.map((s) => s.cpuMsPerCheckout));
      summary.push({
        mode,
        style,
        cpuMsPerCheckout: ms,
        transactionsPerCheckout: median(runs.map((s) => s.transactionsPerCheckout)),
        overheadPercent: mode === 'off' || offMs === null || offMs === 0 ? null : (100 * (ms - offMs)) / offMs,
        spansPerCheckout: median(runs.map((s) => s.spansPerCheckout)),
        p50Ms: median(runs.map((s) => s.p50Ms)),
        p99Ms: median(runs.map((s) => s.p99Ms)),
        restCoresBusy: median(runs.map((s) => s.restCoresBusy)),
        roundsMs: runs.map((s) => s.cpuMsPerCheckout),
      });
    }
  }
  return summary;
}

/**
 * @typedef {object} TracingReport
 * @property {string} generatedAt
 * @property {string} command
 * @property {{ rate: number, seconds: number, rounds: number, modes: string[], settleSeconds: number, warmupSeconds: number }} load
 * @property {unknown} environment
 * @property {TracingSample[]} samples
 * @property {TracingSummary[]} summary
 */

/** @param {number | null} percent */
const signed = (percent) => (percent === null ? '-' : `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`);

/**
 * @param {TracingReport} report
 * @returns {string}
 */
export function tracingMarkdownOf(report) {
  const { load } = report;
  const lines = [
    `# Tracing overhead, ${report.generatedAt}`,
    '',
    `\`${report.command}\``,
    '',
    `The system was started once per mode and round (${load.modes.join(', ')}; ${load.rounds} round(s), the order reversed every other round),`,
    `each time as \`npm start\` runs it, with the standard OTEL_* variables only. Tracing on exports every sampled span over OTLP/HTTP`,
    'to a receiver in the bench that answers and counts them, so exporting is paid and storing is not. After each start the system',
    `settled for ${load.settleSeconds} s; then each style warmed up for ${load.warmupSeconds} s and ran at ${load.rate} checkouts/s for ${load.seconds} s. The CPU of every`,
    "process of the system over that window and the 6 s after it (the exporter's last batch; every mode waits alike) is divided by",
    'the checkouts sent; it is also given in `pgbench -N` transactions calibrated after each start.',
    '',
    ...head(['style', 'tracing', 'CPU per checkout', 'overhead against off', 'each round', 'in transactions', 'spans per checkout', 'p50', 'p99', 'at rest (cores)']),
    ...report.summary.map((s) =>
      row([
        s.style,
        s.mode,
        `${fixed(s.cpuMsPerCheckout)} ms`,
        signed(s.overheadPercent),
        s.roundsMs.map((ms) => `${fixed(ms, 1)} ms`).join(', '),
        fixed(s.transactionsPerCheckout, 1),
        fixed(s.spansPerCheckout, 1),
        `${fixed(s.p50Ms, 1)} ms`,
        `${fixed(s.p99Ms, 1)} ms`,
        fixed(s.restCoresBusy, 3),
      ]),
    ),
    '',
    'Overhead is the median of the mode\'s rounds against the median of "off", in CPU per checkout. Off loads no SDK at all; at rest,',
    'the system is watched with no traffic after it settled.',
    '',
    '## Every sample',
    '',
    ...head(['round', 'tracing', 'style', 'sent', 'CPU per checkout', '1 tx', 'in transactions', 'spans per checkout', 'p50', 'p99']),
    ...report.samples.map((s) =>
      row([
        s.round,
        s.mode,
        s.style,
        s.sent,
        `${fixed(s.cpuMsPerCheckout)} ms`,
        `${fixed(s.cpuMsPerTransaction, 3)} ms`,
        fixed(s.transactionsPerCheckout, 1),
        fixed(s.spansPerCheckout, 1),
        `${fixed(s.p50Ms, 1)} ms`,
        `${fixed(s.p99Ms, 1)} ms`,
      ]),
    ),
    '',
  ];
  return lines.join('\n');
}
