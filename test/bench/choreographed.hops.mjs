// @ts-check
import { Redis } from 'ioredis';
import { natsEntriesSince } from './nats.bus.mjs';
import { STEP_CALLS, auditHop, epochOf, functionsMs, httpOf, r2, summary, timesOnly } from './hop.parts.mjs';
import { EVENT_LATENCY_HISTOGRAM } from './service-metrics.scrape.mjs';
import { CHECKOUT_STREAM } from './terminal-event.watcher.mjs';

/**
 * Effects that say a step was refused: the handler's calls ended early, so the hop's HTTP cannot be
 * read from the successful calls' means and is left unsplit.
 */
const REFUSALS = new Set(['StockReservationFailed', 'OrderCreationFailed', 'PaymentFailed']);

/** The worker step each event type sets off (the choreography's table in the architecture page). */
const REACTION_TO = {
  CheckoutInitiated: 'priceAndReserve',
  StockReserved: 'createOrder',
  OrderCreated: 'authorizePayment',
  PaymentAuthorized: 'confirmOrder',
  PaymentFailed: 'cancelOrder',
  OrderCreationFailed: 'releaseStock',
  OrderCancelled: 'releaseStock',
};

/** The hops from a succeeded checkout's request to its terminal event on the bus, in order. */
const SUCCESS_PATH = new Set([
  'POST /checkout/choreo → CheckoutInitiated',
  'CheckoutInitiated → StockReserved',
  'StockReserved → OrderCreated',
  'OrderCreated → PaymentAuthorized',
  'PaymentAuthorized → CheckoutSucceeded',
]);

/**
 * @typedef {{ id: string, addedAt: number, type: string, eventId: string, causationId: string | undefined, checkoutId: string, occurredAt: number }} BusEntry
 */

/** @param {string} raw @returns {Omit<BusEntry, 'id' | 'addedAt'>} */
function entryOf(raw) {
  const e = JSON.parse(raw);
  return {
    type: e.type,
    eventId: e.eventId,
    causationId: e.causationId ?? undefined,
    checkoutId: e.payload?.checkoutId ?? e.correlationId,
    occurredAt: Date.parse(e.occurredAt),
  };
}

/**
 * The checkout stream's entries since `sinceMs`: each one's time on the bus is its entry id on
 * Redis, the time JetStream stored it on NATS.
 * @param {{ bus: 'redis-streams' | 'nats', redisUrl: string, redisKeyPrefix: string, natsUrl: string, natsPrefix: string }} options
 * @param {number} sinceMs
 * @returns {Promise<BusEntry[]>}
 */
async function busEntriesSince(options, sinceMs) {
  if (options.bus === 'nats') return (await natsEntriesSince(options, sinceMs)).map(({ id, addedAt, raw }) => ({ id, addedAt, ...entryOf(raw) }));
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const entries = /** @type {[string, string[]][]} */ (await redis.xrange(options.redisKeyPrefix + CHECKOUT_STREAM, `${sinceMs}-0`, '+', 'COUNT', 200_000));
    return entries.flatMap(([id, fields]) => {
      const raw = fields[fields.indexOf('event') + 1];
      if (!fields.includes('event') || raw === undefined) return [];
      return [{ id, addedAt: Number(id.split('-')[0]), ...entryOf(raw) }];
    });
  } finally {
    redis.disconnect();
  }
}

/**
 * Choreographed: every event's time on the bus is its stream entry id, and its envelope says when it
 * was recorded (occurredAt) and what caused it, so a hop from a cause on the bus to its effect on
 * the bus splits into the wait before the handler starts (the handler's event_latency_seconds less
 * the cause's publish time), the handler (its HTTP calls and the rest) and the effect's publish.
 * @param {import('./checkout.drivers.mjs').CheckoutResult[]} results
 * @param {{ bus: 'redis-streams' | 'nats', redisUrl: string, redisKeyPrefix: string, natsUrl: string, natsPrefix: string, eventStoreUrl: string, apiKey: string }} options
 * @param {number} sinceMs
 * @param {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} deltasByUrl
 * @param {import('./hop.parts.mjs').StatementDelta[]} statements
 * @returns {Promise<import('./hop.parts.mjs').HopTimes>}
 */
export async function choreographedHops(results, options, sinceMs, deltasByUrl, statements) {
  const sent = new Map(results.flatMap((r) => (r.checkoutId === undefined ? [] : [[r.checkoutId, r]])));
  const entries = (await busEntriesSince(options, sinceMs)).filter((e) => sent.has(e.checkoutId));
  const byId = new Map(entries.map((e) => [e.eventId, e]));
  /** @type {Map<string, { total: number[], toEffect: number[], causePublish: number[], effectPublish: number[], cause: string, refusal: boolean }>} */
  const hops = new Map();
  for (const effect of entries) {
    const cause = effect.causationId === undefined ? undefined : byId.get(effect.causationId);
    const key = cause === undefined ? `POST /checkout/choreo → ${effect.type}` : `${cause.type} → ${effect.type}`;
    // The stock worker's CheckoutFailed goes out with its StockReservationFailed: the same refused hop.
    const refusal = REFUSALS.has(effect.type) || (effect.type === 'CheckoutFailed' && cause?.type === 'CheckoutInitiated');
    const hop = hops.get(key) ?? { total: [], toEffect: [], causePublish: [], effectPublish: [], cause: cause?.type ?? '', refusal };
    hops.set(key, hop);
    hop.effectPublish.push(effect.addedAt - effect.occurredAt);
    if (cause === undefined) {
      const result = sent.get(effect.checkoutId);
      if (result !== undefined) {
        hop.total.push(effect.addedAt - epochOf(result.sentAt));
        hop.toEffect.push(effect.occurredAt - epochOf(result.sentAt));
      }
      continue;
    }
    hop.total.push(effect.addedAt - cause.addedAt);
    hop.toEffect.push(effect.occurredAt - cause.addedAt);
    hop.causePublish.push(cause.addedAt - cause.occurredAt);
  }
  const read = entries.filter((e) => e.type === 'CheckoutSucceeded' || e.type === 'CheckoutFailed');
  const readTimes = read.flatMap((e) => {
    const doneAt = sent.get(e.checkoutId)?.doneAt;
    return doneAt === undefined ? [] : [epochOf(doneAt) - e.addedAt];
  });
  const mean = (/** @type {number[]} */ v) => (v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length);
  /** @type {import('./hop.parts.mjs').HopTime[]} */
  const out = [];
  for (const [hop, t] of hops) {
    if (t.total.length === 0) continue;
    const step = STEP_CALLS[/** @type {keyof typeof STEP_CALLS} */ (REACTION_TO[/** @type {keyof typeof REACTION_TO} */ (t.cause)])];
    const { httpMs: okHttpMs, caller } = step === undefined ? { httpMs: null, caller: undefined } : httpOf(deltasByUrl, step.operations);
    const httpMs = t.refusal ? null : okHttpMs;
    const latency =
      caller === undefined ? undefined : deltasByUrl.get(caller)?.find((d) => d.metric === EVENT_LATENCY_HISTOGRAM && d.labels['type'] === t.cause);
    const causePublish = mean(t.causePublish);
    const waitingMs = latency === undefined || causePublish === null ? null : Math.max(0, latency.meanMs - causePublish);
    const toEffect = /** @type {number} */ (mean(t.toEffect));
    const handler = t.cause === '' ? toEffect : waitingMs === null ? null : toEffect - waitingMs;
    const s = summary(t.total);
    out.push({
      hop: step === undefined ? hop : `${hop} (${step.operations.join(' + ')})`,
      onSuccessPath: SUCCESS_PATH.has(hop),
      ...s,
      waitingMs: r2(waitingMs),
      httpMs: r2(httpMs),
      participantDatabaseMs: r2(step === undefined || t.refusal ? null : functionsMs(statements, step.functions)),
      ownDatabaseMs: null,
      publishMs: r2(mean(t.effectPublish)),
      restMs: handler === null || t.refusal ? null : r2(handler - (httpMs ?? 0)),
    });
  }
  const onBus = new Map(entries.map((e) => [e.eventId, e.addedAt]));
  const stored = await auditHop(
    options,
    CHECKOUT_STREAM,
    sinceMs,
    (e) => onBus.get(e.eventId),
    'event on the bus → in the durable store (audit; off the answer path)',
  );
  if (stored !== undefined) out.push(stored);
  if (readTimes.length > 0) out.push(timesOnly('terminal event on the bus → read by the bench', readTimes, true));
  return {
    sampled: new Set(entries.map((e) => e.checkoutId)).size,
    source: `${entries.length} entries of ${CHECKOUT_STREAM} (entry id = time on the bus; envelope occurredAt and causationId), event_latency_seconds and external_service_call_duration_seconds of each process, pg_stat_statements, over the cost step`,
    hops: out,
    missing: [
      'when a consumer read an entry (XREADGROUP returning it): the transport records only the start of handling (event_latency_seconds, from occurredAt), so time queued on the bus and time spent in a read pause or an in-process queue are one figure',
      "event_latency_seconds has no consumer label: the handler of a hop is told apart only by scraping each process on its own (the process that made the hop's participant calls); the figure is a mean from histogram sums, not a percentile",
      "a refused step's HTTP: external_service_call_duration_seconds is labelled by the call's outcome but not by the event that set it off, so a refusal hop (a handler whose calls ended early) is left unsplit",
      "when the checkout app's outbox row committed: CheckoutInitiated's publish time (occurredAt to the entry on the bus) holds the commit, the relay's wait for a nudge or a sweep, and the XADD together",
    ],
  };
}
