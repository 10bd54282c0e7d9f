// @ts-check
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { callApi } from './api.client.mjs';
import { CALL_HISTOGRAM } from './service-metrics.scrape.mjs';

/**
 * @typedef {object} HopTime
 * @property {string} hop
 * @property {boolean} onSuccessPath whether the hop lies between a succeeded checkout's request and its answer (the hops to add up for its end-to-end time)
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
export const STEP_CALLS = {
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

/** @param {number[]} values */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const r = (/** @type {number} */ n) => Math.round(n * 100) / 100;
  return { count: sorted.length, meanMs: r(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)), p50Ms: r(at(0.5)), p95Ms: r(at(0.95)) };
}

/**
 * A hop known only by its total times, with no part to split them into.
 * @param {string} hop
 * @param {number[]} values
 * @param {boolean} onSuccessPath
 * @returns {HopTime}
 */
export const timesOnly = (hop, values, onSuccessPath) => ({
  hop,
  onSuccessPath,
  ...summary(values),
  waitingMs: null,
  httpMs: null,
  participantDatabaseMs: null,
  ownDatabaseMs: null,
  publishMs: null,
  restMs: null,
});

/** @param {number | null} n */
export const r2 = (n) => (n === null ? null : Math.round(n * 100) / 100);

/**
 * Mean ms per call of the participant calls named, from the deltas of every process (in a style's
 * cost step only that style calls the participants), and the process that made them.
 * @param {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} callsByUrl
 * @param {string[]} operations
 */
export function httpOf(callsByUrl, operations) {
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
export function functionsMs(statements, functions) {
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
export function statementMs(statements, pattern) {
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
export async function auditHop({ eventStoreUrl, apiKey }, stream, sinceMs, fromOf, hop) {
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
  return timesOnly(hop, values, false);
}

/** Epoch milliseconds of a performance.now() time of this process. */
export const epochOf = (/** @type {number} */ t) => Date.now() - performance.now() + t;
