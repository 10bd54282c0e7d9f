// @ts-check
import { performance } from 'node:perf_hooks';
import { callApi, isUp } from './api.client.mjs';

export const REPLAYED_PROJECTION = 'checkout-status';

/**
 * @typedef {{ projection: string, events: number, seconds: number, eventsPerSecond: number, wallSeconds: number }} ReplayReport
 */

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
  };
}
