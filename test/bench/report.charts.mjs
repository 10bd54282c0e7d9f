// @ts-check
import * as vega from 'vega';
import * as vl from 'vega-lite';

/**
 * @typedef {import('./bench.run.mjs').StyleReport} StyleReport
 * @typedef {{ file: string, title: string, spec: Record<string, unknown> }} Chart
 */

const WIDTH = 560;
const HEIGHT = 280;
const STYLE_COLORS = { domain: ['orchestrated', 'choreographed'], range: ['#4c78a8', '#f58518'] };

/** @param {Record<string, unknown>} spec @returns {Promise<string>} */
export async function renderSvg(spec) {
  const view = new vega.View(vega.parse(vl.compile(/** @type {any} */ (spec)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** @param {StyleReport[]} styles @param {number} p99LimitMs @returns {Chart} */
function latencyVsRate(styles, p99LimitMs) {
  const values = styles.flatMap((s) =>
    s.rounds.flatMap(({ round, sweep }) =>
      sweep.steps.flatMap((step) => {
        const rate = step.load.kind === 'open' ? step.load.rate : undefined;
        return rate !== undefined
          ? ['p50', 'p99'].map((percentile) => ({
              style: s.style,
              run: `run ${round}`,
              series: `${s.style} run ${round} ${percentile}`,
              rate,
              percentile,
              ms: percentile === 'p50' ? step.endToEnd.p50 : step.endToEnd.p99,
            }))
          : [];
      }),
    ),
  );
  return {
    file: 'latency-vs-rate.svg',
    title: 'End-to-end latency percentiles vs arrival rate',
    spec: {
      width: WIDTH,
      height: HEIGHT,
      title: 'End-to-end checkout latency vs arrival rate (open model)',
      layer: [
        {
          data: { values },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'rate', type: 'quantitative', title: 'arrival rate (checkouts/s)' },
            y: { field: 'ms', type: 'quantitative', title: 'latency (ms, log scale)', scale: { type: 'log' } },
            color: { field: 'style', type: 'nominal', scale: STYLE_COLORS },
            shape: { field: 'run', type: 'nominal' },
            order: { field: 'rate', type: 'quantitative' },
            strokeDash: {
              field: 'percentile',
              type: 'nominal',
              legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300, encode: { symbols: { update: { stroke: { value: '#555' } } } } },
            },
            detail: { field: 'series' },
          },
        },
        {
          data: { values: [{ limit: p99LimitMs, label: `p99 limit ${p99LimitMs} ms` }] },
          layer: [
            { mark: { type: 'rule', color: '#c00', strokeDash: [2, 2] }, encoding: { y: { field: 'limit', type: 'quantitative' } } },
            {
              mark: { type: 'text', color: '#c00', align: 'left', dx: 4, dy: -6, x: 0 },
              encoding: { y: { field: 'limit', type: 'quantitative' }, text: { field: 'label' } },
            },
          ],
        },
      ],
    },
  };
}

/** @param {StyleReport[]} styles @returns {Chart} */
function throughput(styles) {
  const values = styles.flatMap((s) =>
    s.rounds.flatMap(({ round, sweep }) =>
      sweep.steps.flatMap((step) =>
        step.load.kind === 'open' ? [{ style: s.style, run: `run ${round}`, rate: step.load.rate, achieved: step.throughput }] : [],
      ),
    ),
  );
  const rates = values.map((v) => v.rate);
  const ideal =
    rates.length === 0
      ? []
      : [
          { rate: 0, achieved: 0 },
          { rate: Math.max(...rates), achieved: Math.max(...rates) },
        ];
  return {
    file: 'throughput.svg',
    title: 'Throughput achieved vs arrival rate',
    spec: {
      width: WIDTH,
      height: HEIGHT,
      title: 'Completed checkouts/s vs arrival rate (dashed: ideal)',
      layer: [
        {
          data: { values: ideal },
          mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
          encoding: { x: { field: 'rate', type: 'quantitative' }, y: { field: 'achieved', type: 'quantitative' } },
        },
        {
          data: { values },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'rate', type: 'quantitative', title: 'arrival rate (checkouts/s)' },
            y: { field: 'achieved', type: 'quantitative', title: 'completed (checkouts/s)' },
            color: { field: 'style', type: 'nominal', scale: STYLE_COLORS },
            shape: { field: 'run', type: 'nominal' },
            detail: { field: 'run' },
            order: { field: 'rate', type: 'quantitative' },
          },
        },
      ],
    },
  };
}

/** @param {StyleReport[]} styles @returns {Chart} */
function outcomeShares(styles) {
  const values = styles.flatMap((s) => Object.entries(s.outcomes).map(([outcome, count]) => ({ style: s.style, outcome, count })));
  return {
    file: 'outcome-shares.svg',
    title: 'Outcome shares',
    spec: {
      width: WIDTH,
      height: 40 * Math.max(1, styles.length),
      title: 'Outcome shares of every measured checkout',
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'style', type: 'nominal', title: null },
        x: { field: 'count', type: 'quantitative', stack: 'normalize', title: 'share', axis: { format: '%' } },
        color: { field: 'outcome', type: 'nominal', sort: ['succeeded', 'insufficientStock', 'declined', 'otherFailure', 'error', 'unfinished'] },
        tooltip: [{ field: 'outcome' }, { field: 'count' }],
      },
    },
  };
}

/** @param {StyleReport[]} styles @returns {Chart} */
function closedModel(styles) {
  const values = styles.flatMap((s) =>
    s.rounds.flatMap(({ round, closed: step }) => {
      const who = { style: s.style, styleRun: `${s.style} run ${round}` };
      const rows = ['p50', 'p95', 'p99'].map((p) => ({ ...who, measure: `end-to-end ${p}`, ms: /** @type {any} */ (step.endToEnd)[p] }));
      return step.ack === null
        ? rows
        : [...rows, ...['p50', 'p95', 'p99'].map((p) => ({ ...who, measure: `202 ack ${p}`, ms: /** @type {any} */ (step.ack)[p] }))];
    }),
  );
  return {
    file: 'closed-model-latency.svg',
    title: 'Closed model latency',
    spec: {
      width: WIDTH,
      height: HEIGHT,
      title: 'Closed model (users, no think time): latency percentiles, each run',
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'measure', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'styleRun' },
        y: { field: 'ms', type: 'quantitative', title: 'ms' },
        color: { field: 'style', type: 'nominal', scale: STYLE_COLORS },
      },
    },
  };
}

/** @param {StyleReport[]} styles @returns {Chart | undefined} */
function stepTimes(styles) {
  const values = styles.flatMap((s) =>
    s.serviceMetrics.stepTimes.map((d) => ({ style: d.labels['pattern'] ?? s.style, step: d.labels['step'] ?? '?', meanMs: d.meanMs })),
  );
  if (values.length === 0) return undefined;
  return {
    file: 'step-times.svg',
    title: 'Time per step',
    spec: {
      width: WIDTH,
      height: HEIGHT,
      title: `Mean time per step (services' checkout_step_duration_seconds)`,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'step', type: 'nominal', title: null, sort: ['stock', 'order', 'payment', 'confirmation'], axis: { labelAngle: 0 } },
        xOffset: { field: 'style' },
        y: { field: 'meanMs', type: 'quantitative', title: 'mean ms' },
        color: { field: 'style', type: 'nominal', scale: STYLE_COLORS },
      },
    },
  };
}

/**
 * The charts of the report, as vega-lite specs: latency percentiles and throughput against the
 * rate, outcome shares, the closed model, and time per step when the services measure it.
 * @param {StyleReport[]} styles
 * @param {number} p99LimitMs
 * @returns {Chart[]}
 */
export function chartsOf(styles, p99LimitMs) {
  const charts = [latencyVsRate(styles, p99LimitMs), throughput(styles), outcomeShares(styles), closedModel(styles), stepTimes(styles)];
  return charts.filter((c) => c !== undefined);
}
