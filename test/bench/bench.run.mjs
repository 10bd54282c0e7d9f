// @ts-check
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { NatsBacklogProbe, NatsTerminalEventWatcher } from './nats.bus.mjs';
import { setUpBenchStock } from './bench-stock.setup.mjs';
import { choreographedDriver, orchestratedDriver } from './checkout.drivers.mjs';
import { measureCost } from './cost.measure.mjs';
import { untilQuiet } from './rest.measure.mjs';
import { checkInvariants } from './invariant.check.mjs';
import { runStep } from './load.step.mjs';
import { checkoutRequestOf, outcomeDealer } from './outcome.mix.mjs';
import { findKnee } from './rate.sweep.mjs';
import { openHopTiming } from './hop.timing.mjs';
import { CHECKOUT_HISTOGRAM, STEP_HISTOGRAM, histogramDeltas } from './service-metrics.scrape.mjs';
import { TerminalEventWatcher } from './terminal-event.watcher.mjs';

/**
 * One run of a style: the closed model and the knee search.
 * @typedef {object} StyleRound
 * @property {number} round 1, 2, ...
 * @property {import('./load.step.mjs').StepReport} closed with the CPU it cost, unless `--no-cost`
 * @property {import('./rate.sweep.mjs').KneeSearch} sweep
 */

/**
 * Everything measured for one style.
 * @typedef {object} StyleReport
 * @property {import('./bench.options.mjs').Style} style
 * @property {import('./outcome.mix.mjs').BenchSkus} skus
 * @property {StyleRound[]} rounds in the order they ran, the styles alternating
 * @property {Record<string, number>} outcomes of the closed models and the knee searches together
 * @property {{ stepTimes: import('./service-metrics.scrape.mjs').HistogramDelta[], checkoutDurations: import('./service-metrics.scrape.mjs').HistogramDelta[], scraped: number, unreachable: string[] }} serviceMetrics
 * @property {import('./invariant.check.mjs').InvariantCheck[]} invariants
 * @property {(import('./cost.measure.mjs').CostReport & { rate: number }) | null} cost where the time goes, at a steady rate
 * @property {import('./hop.timing.mjs').HopTimes | null} hops where each millisecond of a checkout goes, per hop, over the cost step
 */

/** @type {Map<string, string[]>} The type streams of a stream key, once found (the workers create them at start). */
const typeStreamKeys = new Map();

/**
 * @param {Redis} redis
 * @param {string} key
 */
async function typeStreamsOf(redis, key) {
  const known = typeStreamKeys.get(key);
  if (known !== undefined) return known;
  const found = (await redis.keys(`${key}.*`)).filter((typeKey) => !typeKey.endsWith('.dlq'));
  if (found.length > 0) typeStreamKeys.set(key, found);
  return found;
}

/**
 * The slowest consumer group of the checkout stream or one of its type streams: entries it has not
 * read plus those it has not acknowledged.
 * @param {Redis} redis
 * @param {string} key
 */
async function worstGroupBacklog(redis, key) {
  // The workers of one type read the checkout stream's type streams (`<stream>.<Type>`): their groups count too.
  const typeStreams = await typeStreamsOf(redis, key);
  const groups = /** @type {unknown[][]} */ ((await Promise.all([key, ...typeStreams].map((k) => redis.xinfo('GROUPS', k).catch(() => [])))).flat());
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
 * PostgreSQL ran measured around it, and the time of each hop from what the system records. An
 * unmeasured lead-in at the same rate comes first: a succeeded checkout leaves work for later (the
 * simulated carrier moves its parcel every few seconds), and the steps before, at other rates, would
 * otherwise put theirs in the window.
 * @param {StyleSession} session
 * @param {import('./bench.options.mjs').BenchOptions} options
 */
async function costAt(session, options) {
  const { rate, seconds, leadSeconds } = /** @type {NonNullable<typeof options.cost>} */ (options.cost);
  if (leadSeconds > 0) await runStep(session.context, { label: `cost lead-in ${rate}/s`, load: { kind: 'open', rate }, seconds: leadSeconds });
  const first = session.results.length;
  const hops = await openHopTiming(session.style, options);
  const { report, statements } = await measureCost(
    () => runStep(session.context, { label: `cost ${rate}/s`, load: { kind: 'open', rate }, seconds, settleFirst: false }),
    {
      databaseUrl: options.databaseUrl,
    },
  );
  return { cost: { rate, ...report }, hops: await hops.finish(session.results.slice(first), statements) };
}

/**
 * A style ready to be driven: its SKUs, its driver, and everything it sent so far.
 * @typedef {object} StyleSession
 * @property {import('./bench.options.mjs').Style} style
 * @property {import('./bench-stock.setup.mjs').BenchStock} stock
 * @property {import('./load.step.mjs').StepContext} context
 * @property {import('./checkout.drivers.mjs').CheckoutResult[]} results
 * @property {TerminalEventWatcher | undefined} watcher
 * @property {StyleRound[]} rounds
 * @property {() => Promise<void>} close
 */

/**
 * Sets a style up for its rounds: its own SKUs, its driver and, for the choreography, the watcher of
 * its terminal events, then an unrecorded warm-up.
 * @param {import('./bench.options.mjs').Style} style
 * @param {import('./bench.options.mjs').BenchOptions} options
 * @param {{ runTag: string, progress: import('./progress.display.mjs').ProgressDisplay }} run
 * @returns {Promise<StyleSession>}
 */
export async function openStyle(style, options, { runTag, progress }) {
  const stock = await setUpBenchStock({ inventoryUrl: options.inventoryUrl, apiKey: options.apiKey, runTag, style });
  const onNats = options.bus === 'nats';
  const nats = { natsUrl: options.natsUrl, prefix: options.natsPrefix };
  const watcher =
    style !== 'choreographed'
      ? undefined
      : onNats
        ? new NatsTerminalEventWatcher(nats)
        : new TerminalEventWatcher({ redisUrl: options.redisUrl, keyPrefix: options.redisKeyPrefix });
  const probeRedis = watcher === undefined || onNats ? undefined : new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  const probeNats = watcher === undefined || !onNats ? undefined : new NatsBacklogProbe(nats);
  await watcher?.start();
  const driver =
    watcher === undefined
      ? orchestratedDriver({ baseUrl: options.orchestratorUrl, apiKey: options.apiKey, connections: options.connections })
      : choreographedDriver({ baseUrl: options.checkoutUrl, apiKey: options.apiKey, connections: options.connections, watcher });
  const deal = outcomeDealer(options.mix);
  let n = 0;
  /** @type {import('./checkout.drivers.mjs').CheckoutResult[]} */
  const results = [];
  /** @type {import('./load.step.mjs').StepContext} */
  const context = {
    driver,
    nextCheckout: () => {
      const planned = deal();
      return { planned, body: checkoutRequestOf(planned, stock.skus, n++) };
    },
    keep: (kept) => results.push(...kept),
    drainSeconds: options.drainSeconds,
    streamProbe:
      watcher === undefined
        ? undefined
        : async () => ({
            lag:
              probeNats !== undefined
                ? await probeNats.worstGroupBacklog()
                : probeRedis !== undefined
                  ? await worstGroupBacklog(probeRedis, watcher.key)
                  : null,
            entriesRead: watcher.entriesRead,
          }),
    progress,
    // The system's CPU is read from this machine's /proc: not when it runs elsewhere (--no-cost).
    settle: options.settleSeconds > 0 && options.cost !== null ? () => untilQuiet({ cores: cpus().length, maxSeconds: options.settleSeconds }) : undefined,
  };
  const close = async () => {
    await driver.close();
    await watcher?.stop();
    probeRedis?.disconnect();
    await probeNats?.close();
  };
  try {
    if (options.warmupSeconds > 0) {
      progress.note(`\n== ${style}: warm-up ==`);
      await runStep(context, { label: 'warm-up', load: { kind: 'open', rate: options.startRate }, seconds: options.warmupSeconds });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { style, stock, context, results, watcher, rounds: [], close };
}

/**
 * One round of a style: the closed model, then the knee search.
 * @param {StyleSession} session
 * @param {number} round
 * @param {import('./bench.options.mjs').BenchOptions} options
 */
export async function runRound(session, round, options) {
  const { context } = session;
  context.progress.note(`\n== ${session.style}, run ${round} ==`);
  const closed = await runStep(context, {
    label: `closed ${options.users} users`,
    load: { kind: 'closed', users: options.users },
    seconds: options.closedSeconds,
    // Read from this machine's /proc, like the cost step: not when the system runs elsewhere (--no-cost).
    measureCpu: options.cost !== null,
  });
  const sweep = await findKnee(context, {
    startRate: options.startRate,
    maxRate: options.maxRate,
    resolution: options.kneeResolution,
    stepSeconds: options.stepSeconds,
    p99LimitMs: options.p99LimitMs,
  });
  session.rounds.push({ round, closed, sweep });
}

/**
 * Ends a style: where the time goes at a steady rate, the services' step timings over all its
 * rounds, and the invariant check on everything it sent.
 * @param {StyleSession} session
 * @param {import('./bench.options.mjs').BenchOptions} options
 * @param {{ before: import('./service-metrics.scrape.mjs').MetricsSnapshot, after: import('./service-metrics.scrape.mjs').MetricsSnapshot }} metrics
 * @returns {Promise<StyleReport>}
 */
export async function finishStyle(session, options, { before, after }) {
  const { style, context } = session;
  try {
    context.progress.note(`\n== ${style}: where the time goes ==`);
    const measured = options.cost === null ? null : await costAt(session, options);
    // Each style only counts its own series, whatever the other style's apps recorded meanwhile.
    const deltas = histogramDeltas(before, after).filter((d) => d.labels['pattern'] === undefined || d.labels['pattern'] === style);
    /** @type {Record<string, number>} */
    const outcomes = {};
    for (const step of session.rounds.flatMap((r) => [r.closed, ...r.sweep.steps])) {
      for (const [outcome, count] of Object.entries(step.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
    }
    context.progress.note('checking invariants...');
    const { watcher } = session;
    const invariants = await checkInvariants({ style, results: session.results, stock: session.stock, ...(watcher !== undefined && { watcher }) }, options);
    return {
      style,
      skus: session.stock.skus,
      rounds: session.rounds,
      outcomes,
      serviceMetrics: {
        stepTimes: deltas.filter((d) => d.metric === STEP_HISTOGRAM),
        checkoutDurations: deltas.filter((d) => d.metric === CHECKOUT_HISTOGRAM),
        scraped: after.reached.length,
        unreachable: after.unreachable,
      },
      invariants,
      cost: measured?.cost ?? null,
      hops: measured?.hops ?? null,
    };
  } finally {
    await session.close();
  }
}
