// @ts-check
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { callApi, mapConcurrent } from './api.client.mjs';
import { CALL_HISTOGRAM, EVENT_LATENCY_HISTOGRAM, scrapeHistograms, seriesDeltas } from './service-metrics.scrape.mjs';
import { CHECKOUT_STREAM } from './terminal-event.watcher.mjs';

const SAGA_STREAM = 'ecommerce.saga.events';

/**
 * @typedef {object} HopTime
 * @property {string} hop
 * @property {number} count occurrences measured
 * @property {number} meanMs from the recorded timestamps, like p50 and p95
 * @property {number} p50Ms
 * @property {number} p95Ms
 * @property {number | null} waitingMs queued on the bus and waiting for a read (read pauses, in-process queues), mean; null where not derivable
 * @property {number | null} httpMs the participant calls of the hop (client side, the participant's database included), mean per call summed over the hop's calls
 * @property {number | null} participantDatabaseMs of that HTTP time, the participants' statements (pg_stat_statements mean per call)
 * @property {number | null} ownDatabaseMs the coordinator's own statements on the hop (the saga write), mean per call
 * @property {number | null} publishMs from the effect being recorded (occurredAt) to its entry on the bus
 * @property {number | null} restMs what is left: decoding, deciding, event-loop and pool waits
 */

/**
 * @typedef {object} HopTimes
 * @property {number} sampled checkouts whose timestamps were read
 * @property {string} source where the timestamps come from
 * @property {HopTime[]} hops in checkout order
 * @property {string[]} missing what cannot be derived from what the system records today, precisely
 */

/** @typedef {{ query: string, calls: number, ms: number }} StatementDelta */

/** The participant calls and PostgreSQL functions of each forward step, as both styles run them (libs/checkout-steps). */
const STEP_CALLS = {
  checkAvailability: { operations: ['checkAvailability'], functions: [] },
  reserveStock: { operations: ['reserveStock'], functions: ['reserve_stock'] },
  // The stock-reservation worker prices the lines before reserving them; the orchestrator checks availability in a state of its own.
  priceAndReserve: { operations: ['checkAvailability', 'reserveStock'], functions: ['reserve_stock'] },
  createOrder: { operations: ['createOrder'], functions: ['place_order'] },
  authorizePayment: { operations: ['authorizePayment'], functions: ['authorize_payment'] },
  confirmOrder: { operations: ['confirmReservation', 'confirmOrder'], functions: ['confirm_reservation', 'move_order'] },
  cancelOrder: { operations: ['cancelOrder'], functions: ['cancel_checkout', 'move_order'] },
  releaseStock: { operations: ['releaseStock'], functions: ['release_reservation'] },
};

/** The saga states that run a participant step, and which (apps/saga-orchestrator saga.machine's `runs`). */
const SAGA_STEP_OF = {
  VERIFICATION_STOCK: 'checkAvailability',
  RESERVATION_STOCK: 'reserveStock',
  CREATION_COMMANDE: 'createOrder',
  AUTORISATION_PAIEMENT: 'authorizePayment',
  CONFIRMATION_COMMANDE: 'confirmOrder',
};

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

const SAMPLED_SAGAS = 50;

/** @param {number[]} values */
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const r = (/** @type {number} */ n) => Math.round(n * 100) / 100;
  return { count: sorted.length, meanMs: r(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)), p50Ms: r(at(0.5)), p95Ms: r(at(0.95)) };
}

/** @param {number | null} n */
const r2 = (n) => (n === null ? null : Math.round(n * 100) / 100);

/**
 * Mean ms per call of the participant calls named, from the deltas of every process (in a style's
 * cost step only that style calls the participants), and the process that made them.
 * @param {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} callsByUrl
 * @param {string[]} operations
 */
function httpOf(callsByUrl, operations) {
  let total = 0;
  let found = false;
  /** @type {string | undefined} */
  let caller;
  for (const operation of operations) {
    let count = 0;
    let sum = 0;
    for (const [url, deltas] of callsByUrl) {
      for (const d of deltas) {
        // Successful attempts only: a refusal or an error takes another path through the participant, and is not this hop's.
        if (d.metric !== CALL_HISTOGRAM || d.labels['operation'] !== operation || d.labels['outcome'] !== 'ok') continue;
        count += d.count;
        sum += d.meanMs * d.count;
        caller = url;
      }
    }
    if (count > 0) {
      total += sum / count;
      found = true;
    }
  }
  return { httpMs: found ? total : null, caller };
}

/**
 * Mean ms per call of the statements calling the named PostgreSQL functions, summed.
 * @param {StatementDelta[]} statements
 * @param {string[]} functions
 */
function functionsMs(statements, functions) {
  if (functions.length === 0) return null;
  let total = 0;
  let found = false;
  for (const fn of functions) {
    const matching = statements.filter((s) => new RegExp(`\\b${fn}\\s*\\(`).test(s.query) && s.calls > 0);
    const calls = matching.reduce((a, s) => a + s.calls, 0);
    if (calls > 0) {
      total += matching.reduce((a, s) => a + s.ms, 0) / calls;
      found = true;
    }
  }
  return found ? total : null;
}

/** @param {StatementDelta[]} statements @param {RegExp} pattern */
function statementMs(statements, pattern) {
  const matching = statements.filter((s) => pattern.test(s.query) && s.calls > 0);
  const calls = matching.reduce((a, s) => a + s.calls, 0);
  return calls === 0 ? null : matching.reduce((a, s) => a + s.ms, 0) / calls;
}

/** The most events the event store's browse API returns at once. */
const STORED_PAGE = 1_000;
/** How long the audit may take to store the step's last events once the step is over. */
const AUDIT_CATCH_UP_MS = 15_000;

/**
 * The count of events stored for `stream` once the audit group has read and acknowledged every
 * entry of it (or the deadline passed): the audit reads after a pause and in batches, so the step's
 * last events reach the store a little after the checkouts end.
 * @param {{ eventStoreUrl: string, apiKey: string }} options
 * @param {string} stream
 */
async function storedOnceAuditCaughtUp({ eventStoreUrl, apiKey }, stream) {
  const deadline = Date.now() + AUDIT_CATCH_UP_MS;
  for (;;) {
    const res = await callApi(`${eventStoreUrl}/api/event-store/streams`, { apiKey }).catch(() => undefined);
    /** @type {{ stream: string, storedEvents: number, groups: { name: string, pending: number, lag: number | null }[] } | undefined} */
    const summary = Array.isArray(res?.body) ? res.body.find((/** @type {{ stream: string }} */ s) => s.stream === stream) : undefined;
    if (summary === undefined) return 0;
    const audit = summary.groups.find((g) => g.name === 'audit');
    if (audit === undefined || (audit.pending === 0 && (audit.lag ?? 0) === 0) || Date.now() >= deadline) return Number(summary.storedEvents);
    await sleep(200);
  }
}

/**
 * How long events of the step took to reach the durable store: from `fromOf(event)` (its time on
 * the bus, or its occurredAt) to the audit's `recorded_at`, over the last stored events of `stream`.
 * The audit is off the checkout's answer path, but its read pauses and the relays' sweeps show here.
 * @param {{ eventStoreUrl: string, apiKey: string }} options
 * @param {string} stream
 * @param {number} sinceMs
 * @param {(event: { eventId: string, occurredAt: string }) => number | undefined} fromOf
 * @param {string} hop
 * @returns {Promise<HopTime | undefined>}
 */
async function auditHop({ eventStoreUrl, apiKey }, stream, sinceMs, fromOf, hop) {
  const stored = await storedOnceAuditCaughtUp({ eventStoreUrl, apiKey }, stream);
  if (stored === 0) return undefined;
  const page = await callApi(
    `${eventStoreUrl}/api/event-store/streams/${encodeURIComponent(stream)}/events?after=${Math.max(0, stored - STORED_PAGE)}&limit=${STORED_PAGE}`,
    {
      apiKey,
    },
  ).catch(() => undefined);
  /** @type {{ recordedAt: string, event: { eventId: string, occurredAt: string } }[]} */
  const events = page?.status === 200 && Array.isArray(page.body?.events) ? page.body.events : [];
  const values = events.flatMap(({ recordedAt, event }) => {
    const from = fromOf(event);
    return from === undefined || !(Date.parse(event.occurredAt) >= sinceMs) ? [] : [Date.parse(recordedAt) - from];
  });
  if (values.length === 0) return undefined;
  return { hop, ...summary(values), waitingMs: null, httpMs: null, participantDatabaseMs: null, ownDatabaseMs: null, publishMs: null, restMs: null };
}

/** Epoch milliseconds of a performance.now() time of this process. */
const epochOf = (/** @type {number} */ t) => Date.now() - performance.now() + t;

/**
 * Orchestrated: the saga's transitions are stamped with the time of their decision, just after the
 * participant call that ended the state they leave, so a state that runs a call lasts that call
 * plus the write recording the decision before it.
 * @param {import('./checkout.drivers.mjs').CheckoutResult[]} results
 * @param {{ orchestratorUrl: string, eventStoreUrl: string, apiKey: string }} options
 * @param {number} sinceMs
 * @param {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} callsByUrl
 * @param {StatementDelta[]} statements
 * @returns {Promise<HopTimes>}
 */
async function orchestratedHops(results, options, sinceMs, callsByUrl, statements) {
  const { orchestratorUrl, apiKey } = options;
  const succeeded = results.filter((r) => r.outcome === 'succeeded' && r.sagaId !== undefined);
  const stride = Math.max(1, succeeded.length / SAMPLED_SAGAS);
  const sample = Array.from(
    { length: Math.min(SAMPLED_SAGAS, succeeded.length) },
    (_, i) => /** @type {typeof succeeded[number]} */ (succeeded[Math.floor(i * stride)]),
  );
  const sagas = await mapConcurrent(sample, 8, async (result) => {
    const res = await callApi(`${orchestratorUrl}/api/saga/${result.sagaId}/status`, { apiKey });
    return res.status === 200 ? { result, transitions: /** @type {{ from: string, to: string, at: string }[]} */ (res.body.transitions) } : undefined;
  });
  /** @type {Map<string, number[]>} */
  const durations = new Map();
  const add = (/** @type {string} */ hop, /** @type {number} */ ms) => durations.set(hop, [...(durations.get(hop) ?? []), ms]);
  let sampled = 0;
  for (const saga of sagas) {
    if (saga === undefined || saga.transitions.length === 0) continue;
    sampled += 1;
    const at = saga.transitions.map((t) => Date.parse(t.at));
    add('request → saga started', /** @type {number} */ (at[0]) - epochOf(saga.result.sentAt));
    saga.transitions.forEach((t, i) => {
      const step = SAGA_STEP_OF[/** @type {keyof typeof SAGA_STEP_OF} */ (t.from)];
      const entered = saga.transitions.findLastIndex((e, j) => j < i && e.to === t.from);
      if (step !== undefined && entered >= 0) add(step, /** @type {number} */ (at[i]) - /** @type {number} */ (at[entered]));
    });
    add('terminal decision → answer received', epochOf(saga.result.doneAt ?? saga.result.sentAt) - /** @type {number} */ (at.at(-1)));
  }
  const create = statementMs(statements, /INSERT INTO sagas/);
  const advance = statementMs(statements, /UPDATE sagas SET\s+state = \$4/);
  /** @type {HopTime[]} */
  const hops = [];
  for (const [hop, values] of durations) {
    const step = STEP_CALLS[/** @type {keyof typeof STEP_CALLS} */ (hop)];
    const { httpMs } = step === undefined ? { httpMs: null } : httpOf(callsByUrl, step.operations);
    // The write before a call: none before the availability check, the saga's creation before the reservation, an advance after.
    const ownDatabaseMs = hop === 'checkAvailability' || hop === 'request → saga started' ? null : hop === 'reserveStock' ? create : advance;
    const s = summary(values);
    hops.push({
      hop: step === undefined ? hop : `${hop} (${step.operations.join(' + ')})`,
      ...s,
      waitingMs: null,
      httpMs: r2(httpMs),
      participantDatabaseMs: r2(step === undefined ? null : functionsMs(statements, step.functions)),
      ownDatabaseMs: r2(ownDatabaseMs),
      publishMs: null,
      restMs: httpMs === null && ownDatabaseMs === null ? null : r2(s.meanMs - (httpMs ?? 0) - (ownDatabaseMs ?? 0)),
    });
  }
  const stored = await auditHop(
    options,
    SAGA_STREAM,
    sinceMs,
    (e) => Date.parse(e.occurredAt),
    'transition event recorded → in the durable store (saga outbox, relay, bus, audit; off the answer path)',
  );
  if (stored !== undefined) hops.push(stored);
  return {
    sampled,
    source: `saga_transitions.at of ${sampled} succeeded sagas (GET /api/saga/:id/status), the bench's send and answer times, external_service_call_duration_seconds and pg_stat_statements over the cost step`,
    hops,
    missing: [
      "when the orchestrator began handling the request: the first hop holds the request's transit and parsing with the time before the saga starts (no timestamp between them)",
      "each saga write's own duration: saga_transitions.at is the decision's time, taken before the write, so the write is known only as pg_stat_statements' mean per call, not per hop",
      'a wait inside the orchestrator (for a pooled connection, a batched write, the event loop) has no timestamp of its own: it is in the rest, with deciding; the answer path has no bus, so no read pause or relay sweep is on it',
    ],
  };
}

/**
 * @typedef {{ id: string, addedAt: number, type: string, eventId: string, causationId: string | undefined, checkoutId: string, occurredAt: number }} BusEntry
 */

/**
 * The checkout stream's entries since `sinceMs`: each one's time on the bus is its entry id.
 * @param {{ redisUrl: string, redisKeyPrefix: string }} options
 * @param {number} sinceMs
 * @returns {Promise<BusEntry[]>}
 */
async function busEntriesSince({ redisUrl, redisKeyPrefix }, sinceMs) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const entries = /** @type {[string, string[]][]} */ (await redis.xrange(redisKeyPrefix + CHECKOUT_STREAM, `${sinceMs}-0`, '+', 'COUNT', 200_000));
    return entries.flatMap(([id, fields]) => {
      const raw = fields[fields.indexOf('event') + 1];
      if (!fields.includes('event') || raw === undefined) return [];
      const e = JSON.parse(raw);
      return [
        {
          id,
          addedAt: Number(id.split('-')[0]),
          type: e.type,
          eventId: e.eventId,
          causationId: e.causationId ?? undefined,
          checkoutId: e.payload?.checkoutId ?? e.correlationId,
          occurredAt: Date.parse(e.occurredAt),
        },
      ];
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
 * @param {{ redisUrl: string, redisKeyPrefix: string, eventStoreUrl: string, apiKey: string }} options
 * @param {number} sinceMs
 * @param {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} deltasByUrl
 * @param {StatementDelta[]} statements
 * @returns {Promise<HopTimes>}
 */
async function choreographedHops(results, options, sinceMs, deltasByUrl, statements) {
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
  /** @type {HopTime[]} */
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
  if (readTimes.length > 0)
    out.push({
      hop: 'terminal event on the bus → read by the bench',
      ...summary(readTimes),
      waitingMs: null,
      httpMs: null,
      participantDatabaseMs: null,
      ownDatabaseMs: null,
      publishMs: null,
      restMs: null,
    });
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

/**
 * Starts timing the hops of a style's cost step: remembers when it began and what the services'
 * call and event-latency histograms held, process by process; `finish` reads the timestamps the
 * system recorded for the step's checkouts and splits each hop's time.
 * @param {import('./bench.options.mjs').Style} style
 * @param {import('./bench.options.mjs').BenchOptions} options
 */
export async function openHopTiming(style, options) {
  const names = [CALL_HISTOGRAM, EVENT_LATENCY_HISTOGRAM];
  const sinceMs = Date.now();
  const before = await scrapeHistograms(options.metricsUrls, names);
  return {
    /**
     * @param {import('./checkout.drivers.mjs').CheckoutResult[]} results the cost step's
     * @param {StatementDelta[]} statements the cost step's pg_stat_statements deltas (empty when unavailable)
     * @returns {Promise<HopTimes>}
     */
    async finish(results, statements) {
      const after = await scrapeHistograms(options.metricsUrls, names);
      /** @type {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} */
      const deltasByUrl = new Map();
      for (const [url, series] of after.byUrl) deltasByUrl.set(url, seriesDeltas(before.byUrl.get(url) ?? new Map(), series));
      return style === 'orchestrated'
        ? orchestratedHops(results, options, sinceMs, deltasByUrl, statements)
        : choreographedHops(results, options, sinceMs, deltasByUrl, statements);
    },
  };
}
