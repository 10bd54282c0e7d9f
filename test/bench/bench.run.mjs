// @ts-check
import { Redis } from 'ioredis';
import { setUpBenchStock } from './bench-stock.setup.mjs';
import { choreographedDriver, orchestratedDriver } from './checkout.drivers.mjs';
import { measureCost } from './cost.measure.mjs';
import { checkInvariants } from './invariant.check.mjs';
import { runStep } from './load.step.mjs';
import { checkoutRequestOf, outcomeDealer } from './outcome.mix.mjs';
import { runSweep } from './rate.sweep.mjs';
import { CHECKOUT_HISTOGRAM, STEP_HISTOGRAM, histogramDeltas, scrapeHistograms } from './service-metrics.scrape.mjs';
import { TerminalEventWatcher } from './terminal-event.watcher.mjs';

/**
 * Everything measured for one style.
 * @typedef {object} StyleReport
 * @property {import('./bench.options.mjs').Style} style
 * @property {import('./outcome.mix.mjs').BenchSkus} skus
 * @property {import('./load.step.mjs').StepReport} closed
 * @property {{ steps: import('./rate.sweep.mjs').SweepStep[], knee: number | null }} sweep
 * @property {Record<string, number>} outcomes of the closed model and the sweep together
 * @property {{ stepTimes: import('./service-metrics.scrape.mjs').HistogramDelta[], checkoutDurations: import('./service-metrics.scrape.mjs').HistogramDelta[], scraped: number, unreachable: string[] }} serviceMetrics
 * @property {import('./invariant.check.mjs').InvariantCheck[]} invariants
 * @property {(import('./cost.measure.mjs').CostReport & { rate: number }) | null} cost where the time goes, at a steady rate
 */

/**
 * The slowest consumer group of the checkout stream: entries it has not read plus those it has not
 * acknowledged.
 * @param {Redis} redis
 * @param {string} key
 */
async function worstGroupBacklog(redis, key) {
  const groups = /** @type {unknown[][]} */ (await redis.xinfo('GROUPS', key).catch(() => []));
  let worst = /** @type {number | null} */ (null);
  for (const flat of groups) {
    /** @type {Record<string, unknown>} */
    const group = {};
    for (let i = 0; i + 1 < flat.length; i += 2) group[String(flat[i])] = flat[i + 1];
    const backlog = Number(group['lag'] ?? 0) + Number(group['pending'] ?? 0);
    worst = Math.max(worst ?? 0, backlog);
  }
  return worst;
}

/**
 * Where the time goes: one steady open-model step, with the CPU of every process and the statements
 * PostgreSQL ran measured around it.
 * @param {import('./load.step.mjs').StepContext} context
 * @param {{ rate: number, seconds: number }} cost
 * @param {string} databaseUrl
 */
async function costAt(context, { rate, seconds }, databaseUrl) {
  const measured = await measureCost(() => runStep(context, { label: `cost ${rate}/s`, load: { kind: 'open', rate }, seconds }), { databaseUrl });
  return { rate, ...measured };
}

/**
 * Drives one style through the whole scenario: its own SKUs, a warm-up, the closed model, the rate
 * sweep, then the services' step timings and the invariant check.
 * @param {import('./bench.options.mjs').Style} style
 * @param {import('./bench.options.mjs').BenchOptions} options
 * @param {{ runTag: string, progress: import('./progress.display.mjs').ProgressDisplay }} run
 * @returns {Promise<StyleReport>}
 */
export async function runStyle(style, options, { runTag, progress }) {
  const stock = await setUpBenchStock({ inventoryUrl: options.inventoryUrl, apiKey: options.apiKey, runTag, style });
  const watcher = style === 'choreographed' ? new TerminalEventWatcher({ redisUrl: options.redisUrl, keyPrefix: options.redisKeyPrefix }) : undefined;
  const probeRedis = watcher === undefined ? undefined : new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  await watcher?.start();
  const driver =
    watcher === undefined
      ? orchestratedDriver({ baseUrl: options.orchestratorUrl, apiKey: options.apiKey, connections: options.connections })
      : choreographedDriver({ baseUrl: options.checkoutUrl, apiKey: options.apiKey, connections: options.connections, watcher });
  const deal = outcomeDealer(options.mix);
  let n = 0;
  /** @type {import('./checkout.drivers.mjs').CheckoutResult[]} */
  const everyResult = [];
  /** @type {import('./load.step.mjs').StepContext} */
  const context = {
    driver,
    nextCheckout: () => {
      const planned = deal();
      return { planned, body: checkoutRequestOf(planned, stock.skus, n++) };
    },
    keep: (results) => everyResult.push(...results),
    drainSeconds: options.drainSeconds,
    streamProbe:
      watcher === undefined || probeRedis === undefined
        ? undefined
        : async () => ({ lag: await worstGroupBacklog(probeRedis, watcher.key), entriesRead: watcher.entriesRead }),
    progress,
  };
  try {
    progress.note(`\n== ${style} ==`);
    const before = await scrapeHistograms(options.metricsUrls);
    if (options.warmupSeconds > 0) {
      await runStep(context, { label: 'warm-up', load: { kind: 'open', rate: options.rates[0] ?? 10 }, seconds: options.warmupSeconds });
    }
    const closed = await runStep(context, {
      label: `closed ${options.users} users`,
      load: { kind: 'closed', users: options.users },
      seconds: options.closedSeconds,
    });
    const sweep = await runSweep(context, { rates: options.rates, stepSeconds: options.stepSeconds, p99LimitMs: options.p99LimitMs });
    const cost = options.cost === null ? null : await costAt(context, options.cost, options.databaseUrl);
    const after = await scrapeHistograms(options.metricsUrls);
    // Each style only counts its own series, whatever the other style's apps still record meanwhile.
    const deltas = histogramDeltas(before, after).filter((d) => d.labels['pattern'] === undefined || d.labels['pattern'] === style);
    /** @type {Record<string, number>} */
    const outcomes = {};
    for (const step of [closed, ...sweep.steps]) {
      for (const [outcome, count] of Object.entries(step.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
    }
    progress.note('checking invariants...');
    const invariants = await checkInvariants({ style, results: everyResult, stock, ...(watcher !== undefined && { watcher }) }, options);
    return {
      style,
      skus: stock.skus,
      closed,
      sweep,
      outcomes,
      serviceMetrics: {
        stepTimes: deltas.filter((d) => d.metric === STEP_HISTOGRAM),
        checkoutDurations: deltas.filter((d) => d.metric === CHECKOUT_HISTOGRAM),
        scraped: after.reached.length,
        unreachable: after.unreachable,
      },
      invariants,
      cost,
    };
  } finally {
    await driver.close();
    await watcher?.stop();
    probeRedis?.disconnect();
  }
}
