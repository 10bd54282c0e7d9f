import type pg from 'pg';
import { STREAMS } from '@app/contracts';
import type { BusProbe } from './bus-probe.js';
import { INITIAL_STOCK } from './catalog.js';
import type { Outcome } from './checkout.client.js';
import type { StartedCheckout } from './load.js';

/** One broken invariant of the architecture page, about one subject (a SKU, a checkout, an event). */
export interface Violation {
  invariant: string;
  subject: string;
  detail: string;
}

const CHUNK = 5_000;

/** Per SKU: initial stock = available + units held by reservations not released; available never below 0. */
export async function stockConservation(sql: pg.Pool): Promise<Violation[]> {
  const { rows } = await sql.query<{ sku: string; available: number; held: string }>(
    `SELECT p.sku, p.available, COALESCE(SUM((i->>'quantity')::int) FILTER (WHERE r.status <> 'RELEASED'), 0) AS held
     FROM inventory.products p
     LEFT JOIN inventory.reservations r ON r.items @> jsonb_build_array(jsonb_build_object('sku', p.sku))
     LEFT JOIN LATERAL jsonb_array_elements(r.items) i ON i->>'sku' = p.sku
     GROUP BY p.sku, p.available`,
  );
  const violations: Violation[] = [];
  for (const { sku, available, held } of rows) {
    const initial = INITIAL_STOCK.get(sku);
    if (initial === undefined) continue;
    if (available < 0) violations.push({ invariant: 'available >= 0', subject: sku, detail: `available ${available}` });
    if (available + Number(held) !== initial) {
      violations.push({ invariant: 'stock conservation', subject: sku, detail: `initial ${initial} != available ${available} + held ${held}` });
    }
  }
  return violations;
}

export interface Ledger {
  outcome?: Outcome;
  order?: { status: string; total: number };
  reservation?: string;
  authorization?: { status: string; amount: number };
}

/** What the participants hold for each checkout id (the saga's checkout id for the orchestrated style). */
async function ledgersOf(sql: pg.Pool, checkoutIds: string[]): Promise<Map<string, Ledger>> {
  const ledgers = new Map<string, Ledger>(checkoutIds.map((id) => [id, {}]));
  const [orders, reservations, authorizations] = await Promise.all([
    sql.query<{ id: string; status: string; total: string }>(
      'SELECT checkout_id AS id, status, total_cents AS total FROM orders.orders WHERE checkout_id = ANY($1)',
      [checkoutIds],
    ),
    sql.query<{ id: string; status: string }>('SELECT checkout_id AS id, status FROM inventory.reservations WHERE checkout_id = ANY($1)', [checkoutIds]),
    sql.query<{ id: string; status: string; amount: number }>(
      'SELECT checkout_id AS id, status, amount_cents AS amount FROM payments.authorizations WHERE checkout_id = ANY($1)',
      [checkoutIds],
    ),
  ]);
  for (const row of orders.rows) ledgers.get(row.id)!.order = { status: row.status, total: Number(row.total) };
  for (const row of reservations.rows) ledgers.get(row.id)!.reservation = row.status;
  for (const row of authorizations.rows) ledgers.get(row.id)!.authorization = { status: row.status, amount: row.amount };
  return ledgers;
}

/** The outcome each checkout reached by the system's own records: the saga's state, or the terminal events on the bus. */
async function recordedOutcomes(
  sql: pg.Pool,
  checkouts: StartedCheckout[],
): Promise<{ participantIds: Map<string, string>; violations: Violation[]; outcomes: Map<string, Outcome> }> {
  const violations: Violation[] = [];
  const outcomes = new Map<string, Outcome>();
  const participantIds = new Map<string, string>();
  const sagaIds = checkouts.filter((c) => c.style === 'orchestrated').map((c) => c.id!);
  const { rows: sagas } = await sql.query<{ id: string; checkout_id: string; state: string; failure: unknown; stopped: unknown }>(
    `SELECT id, checkout_id, state, data->'failure' AS failure, data->'compensation'->'error' AS stopped FROM saga.sagas WHERE id = ANY($1)`,
    [sagaIds],
  );
  for (const saga of sagas) {
    participantIds.set(saga.id, saga.checkout_id);
    if (saga.state === 'SAGA_TERMINEE') outcomes.set(saga.id, 'succeeded');
    else if (saga.state === 'SAGA_ANNULEE') outcomes.set(saga.id, 'failed');
    else {
      const why = `failure ${JSON.stringify(saga.failure)}, compensation stopped by ${JSON.stringify(saga.stopped)}`;
      violations.push({ invariant: 'one terminal state', subject: `saga ${saga.id}`, detail: `state ${saga.state} (${why})` });
    }
  }
  const choreographed = checkouts.filter((c) => c.style === 'choreographed').map((c) => c.id!);
  const { rows: terminals } = await sql.query<{ id: string; types: string[] }>(
    `SELECT correlation_id AS id, array_agg(DISTINCT type ORDER BY type) AS types FROM event_store.events
     WHERE correlation_id = ANY($1) AND type IN ('CheckoutSucceeded', 'CheckoutFailed') GROUP BY correlation_id`,
    [choreographed],
  );
  const terminalTypes = new Map(terminals.map((t) => [t.id, t.types]));
  for (const id of choreographed) {
    participantIds.set(id, id);
    const types = terminalTypes.get(id) ?? [];
    if (types.length === 1) outcomes.set(id, types[0] === 'CheckoutSucceeded' ? 'succeeded' : 'failed');
    else
      violations.push({ invariant: 'one terminal state', subject: `checkout ${id}`, detail: `terminal events in the store: ${types.join(' + ') || 'none'}` });
  }
  return { participantIds, violations, outcomes };
}

/** What the participants hold that contradicts the outcome (nothing when they agree). */
export function ledgerViolations(outcome: Outcome, ledger: Ledger): string[] {
  const { order, reservation, authorization } = ledger;
  if (outcome === 'succeeded') {
    return [
      order?.status !== 'CONFIRMED' && `order ${order?.status ?? 'missing'}, not CONFIRMED`,
      authorization?.status !== 'AUTHORIZED' && `authorization ${authorization?.status ?? 'missing'}, not AUTHORIZED`,
      authorization !== undefined &&
        order !== undefined &&
        authorization.amount !== order.total &&
        `authorized ${authorization.amount} for an order of ${order.total}`,
      reservation !== 'CONFIRMED' && `reservation ${reservation ?? 'missing'}, not CONFIRMED`,
    ].filter((problem): problem is string => problem !== false);
  }
  return [
    order?.status === 'CONFIRMED' && 'a CONFIRMED order',
    (reservation === 'RESERVED' || reservation === 'CONFIRMED') && `a ${reservation} reservation`,
    authorization?.status === 'AUTHORIZED' && 'an AUTHORIZED authorization',
  ].filter((problem): problem is string => problem !== false);
}

/**
 * Every accepted checkout ends in exactly one terminal state, the one its status endpoint told;
 * a succeeded one has one confirmed order, one authorization of its total and its stock confirmed;
 * a failed one has no confirmed order, no live reservation and no live authorization.
 */
export async function checkoutOutcomes(sql: pg.Pool, checkouts: readonly StartedCheckout[]): Promise<Violation[]> {
  const accepted = checkouts.filter((c) => c.id !== undefined);
  const violations: Violation[] = checkouts
    .filter((c) => c.id === undefined)
    .map((c) => ({ invariant: 'accepted', subject: `start ${c.idempotencyKey}`, detail: `no answer with an id after ${c.attempts} tries (${c.lastError})` }));
  const recorded = await recordedOutcomes(sql, accepted);
  violations.push(...recorded.violations);
  const ledgers = await ledgersOf(sql, [...recorded.participantIds.values()]);
  for (const checkout of accepted) {
    const subject = `${checkout.style} ${checkout.id}`;
    const outcome = recorded.outcomes.get(checkout.id!);
    if (outcome === undefined) continue;
    if (checkout.outcome !== undefined && checkout.outcome !== outcome) {
      violations.push({ invariant: 'one terminal state', subject, detail: `status said ${checkout.outcome}, records say ${outcome}` });
    }
    const ledger = ledgers.get(recorded.participantIds.get(checkout.id!) ?? '') ?? {};
    for (const detail of ledgerViolations(outcome, ledger)) violations.push({ invariant: `${outcome}: participants agree`, subject, detail });
  }
  return violations;
}

/**
 * No event lost: every event id on the checkout, saga and shipping streams since the last check is in the
 * durable store exactly once. Entries the suite injected as poison are not events of the system.
 * Advances `cursors` past what was checked.
 */
export async function noEventLost(sql: pg.Pool, bus: BusProbe, cursors: Map<string, string>, excluded: ReadonlySet<string>): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const stream of [STREAMS.checkout, STREAMS.saga, STREAMS.shipping]) {
    const { ids, cursor } = await bus.eventIdsAfter(stream, cursors.get(stream) ?? '0', excluded);
    const all = [...ids];
    const stored = new Map<string, number>();
    for (let i = 0; i < all.length; i += CHUNK) {
      const { rows } = await sql.query<{ id: string; n: number }>(
        'SELECT event_id AS id, count(*)::int AS n FROM event_store.events WHERE event_id = ANY($1) GROUP BY event_id',
        [all.slice(i, i + CHUNK)],
      );
      for (const row of rows) stored.set(row.id, row.n);
    }
    for (const id of all) {
      const n = stored.get(id) ?? 0;
      if (n !== 1) violations.push({ invariant: 'no event lost', subject: `event ${id}`, detail: `on ${stream}, ${n} time(s) in the event store` });
    }
    cursors.set(stream, cursor);
  }
  return violations;
}

/**
 * One parcel per success: every checkout whose CheckoutSucceeded is in the durable store (either
 * style publishes it) has exactly one live parcel (REGISTERED, SHIPPED, DELIVERED) or a refunded
 * one; no other checkout has a parcel.
 */
export async function parcelPerSuccess(sql: pg.Pool): Promise<Violation[]> {
  const { rows } = await sql.query<{ checkout_id: string; succeeded: boolean; parcels: string[] }>(
    `WITH succeeded AS (SELECT DISTINCT checkout_id FROM event_store.events WHERE type = 'CheckoutSucceeded' AND checkout_id IS NOT NULL)
     SELECT coalesce(s.checkout_id, p.checkout_id) AS checkout_id, s.checkout_id IS NOT NULL AS succeeded,
            coalesce(array_agg(p.status) FILTER (WHERE p.status IS NOT NULL), '{}') AS parcels
     FROM succeeded s FULL JOIN shipping.parcels p ON p.checkout_id = s.checkout_id
     GROUP BY 1, 2`,
  );
  const violations: Violation[] = [];
  for (const { checkout_id: checkoutId, succeeded, parcels } of rows) {
    const live = parcels.filter((status) => ['REGISTERED', 'SHIPPED', 'DELIVERED', 'REFUNDED'].includes(status)).length;
    if (succeeded && live !== 1)
      violations.push({ invariant: 'one parcel per success', subject: `checkout ${checkoutId}`, detail: `parcels: ${parcels.join(', ') || 'none'}` });
    if (!succeeded)
      violations.push({
        invariant: 'one parcel per success',
        subject: `checkout ${checkoutId}`,
        detail: `parcels ${parcels.join(', ')} without a CheckoutSucceeded`,
      });
  }
  return violations;
}
