// @ts-check
import { performance } from 'node:perf_hooks';
import { callApi, isUp } from './api.client.mjs';

export const REPLAYED_PROJECTION = 'checkout-status';

/**
 * Where the rebuild's time went, in ms, as the event store reports it (null from a store that does not).
 * @typedef {{ readMs: number, foldMs: number, catchUpMs: number, writeMs: number, checkpointMs: number }} ReplayPhases
 */

/**
 * @typedef {{ projection: string, events: number, seconds: number, eventsPerSecond: number, wallSeconds: number, phases: ReplayPhases | null }} ReplayReport
 */

/** What each phase of a rebuild is, for the report. */
export const REPLAY_PHASES = /** @type {const} */ ({
  readMs: 'reading the pages of events (PostgreSQL reads the next page while one is folded) and decoding their rows',
  foldMs: 'folding the events into views',
  writeMs: "replacing the model's rows",
  checkpointMs: "adding the events' ids to the checkpoint",
  catchUpMs: 'waiting for the audit worker to store what the live projection applied',
});

/**
 * The phases of a rebuild, longest first, as "reading ... 2.10 s (46%), ...", with what is left (locks, the transaction).
 * @param {ReplayPhases} phases
 * @param {number} seconds the rebuild's own duration
 */
export function replayPhasesText(phases, seconds) {
  const total = seconds * 1_000;
  const share = (/** @type {number} */ ms) => `${(ms / 1_000).toFixed(2)} s (${Math.round((100 * ms) / Math.max(total, 1e-6))}%)`;
  const parts = /** @type {(keyof ReplayPhases)[]} */ (Object.keys(REPLAY_PHASES))
    .map((phase) => ({ phase, ms: phases[phase] }))
    .sort((a, b) => b.ms - a.ms)
    .map(({ phase, ms }) => `${REPLAY_PHASES[phase]} ${share(ms)}`);
  const rest = Math.max(0, total - Object.values(phases).reduce((a, b) => a + b, 0));
  return `${parts.join(', ')}; the rest (locks, the transaction) ${share(rest)}`;
}

/**
 * Rebuilds the checkout-status read model from the durable store and reads back its own count and
 * time; the wall-clock time of the call is kept beside it.
 * @param {{ eventStoreUrl: string, apiKey: string }} options
 * @returns {Promise<ReplayReport | { skipped: string }>}
 */
export async function measureReplay({ eventStoreUrl, apiKey }) {
  if (!(await isUp(eventStoreUrl))) return { skipped: `the event store does not answer at ${eventStoreUrl}` };
  const started = performance.now();
  const res = await callApi(`${eventStoreUrl}/api/event-store/projections/${REPLAYED_PROJECTION}/rebuild`, { method: 'POST', apiKey, timeoutMs: 600_000 });
  const wallSeconds = (performance.now() - started) / 1_000;
  if (res.status !== 200) return { skipped: `rebuild answered HTTP ${res.status} ${JSON.stringify(res.body)}` };
  const events = Number(res.body.events);
  const seconds = Number(res.body.seconds);
  return {
    projection: REPLAYED_PROJECTION,
    events,
    seconds: Math.round(seconds * 1_000) / 1_000,
    eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
    wallSeconds: Math.round(wallSeconds * 1_000) / 1_000,
    phases: res.body.phases ?? null,
  };
}
