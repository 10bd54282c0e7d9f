// @ts-check
import { callApi, mapConcurrent } from './api.client.mjs';
import { STEP_CALLS, auditHop, epochOf, functionsMs, httpOf, r2, statementMs, summary } from './hop.parts.mjs';

const SAGA_STREAM = 'ecommerce.saga.events';

/** The saga states that run a participant step, and which (apps/saga-orchestrator saga.machine's `runs`). */
const SAGA_STEP_OF = {
  VERIFICATION_STOCK: 'checkAvailability',
  RESERVATION_STOCK: 'reserveStock',
  CREATION_COMMANDE: 'createOrder',
  AUTORISATION_PAIEMENT: 'authorizePayment',
  CONFIRMATION_COMMANDE: 'confirmOrder',
};

const SAMPLED_SAGAS = 50;

/**
 * Orchestrated: the saga's transitions are stamped with the time of their decision, just after the
 * participant call that ended the state they leave, so a state that runs a call lasts that call
 * plus the write recording the decision before it.
 * @param {import('./checkout.drivers.mjs').CheckoutResult[]} results
 * @param {{ orchestratorUrl: string, eventStoreUrl: string, apiKey: string }} options
 * @param {number} sinceMs
 * @param {Map<string, import('./service-metrics.scrape.mjs').HistogramDelta[]>} callsByUrl
 * @param {import('./hop.parts.mjs').StatementDelta[]} statements
 * @returns {Promise<import('./hop.parts.mjs').HopTimes>}
 */
export async function orchestratedHops(results, options, sinceMs, callsByUrl, statements) {
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
  /** @type {import('./hop.parts.mjs').HopTime[]} */
  const hops = [];
  for (const [hop, values] of durations) {
    const step = STEP_CALLS[/** @type {keyof typeof STEP_CALLS} */ (hop)];
    const { httpMs } = step === undefined ? { httpMs: null } : httpOf(callsByUrl, step.operations);
    // The write before a call: none before the availability check, the saga's creation before the reservation, an advance after.
    const ownDatabaseMs = hop === 'checkAvailability' || hop === 'request → saga started' ? null : hop === 'reserveStock' ? create : advance;
    const s = summary(values);
    hops.push({
      hop: step === undefined ? hop : `${hop} (${step.operations.join(' + ')})`,
      // Only succeeded sagas are sampled: every hop of theirs is on the way to the answer.
      onSuccessPath: true,
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
