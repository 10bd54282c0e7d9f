import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '@app/database';
import type { CheckoutStatus } from '@app/projections';

/** A checkout past its deadline, as the scan found it. */
export interface OverdueCheckout {
  checkoutId: string;
  acceptedAt: Date;
  /** What the events consumed so far say: PENDING, or how it ended. */
  status: CheckoutStatus;
  lastEventType: string;
  /** When a scan first found it stuck; undefined the first time. */
  stuckAt?: Date;
  compensationRefused?: string;
}

/** A stuck checkout, as `GET /checkout/stuck` lists it. */
export interface StuckCheckout {
  checkoutId: string;
  clientId: string;
  cartId?: string;
  acceptedAt: string;
  stuckSince: string;
  ageMs: number;
  lastEventType: string;
  compensationRefused?: string;
}

interface OverdueRow {
  checkout_id: string;
  accepted_at: Date;
  status: CheckoutStatus | null;
  last_event_type: string | null;
  stuck_at: Date | null;
  compensation_refused: string | null;
}

interface StuckRow {
  checkout_id: string;
  client_id: string;
  cart_id: string | null;
  accepted_at: Date;
  stuck_at: Date;
  age_ms: number;
  last_event_type: string | null;
  compensation_refused: string | null;
}

const STUCK = 'stuck_at IS NOT NULL AND settled_at IS NULL AND compensated_at IS NULL';

/** What the deadline watch reads and remembers in the `watched_checkouts` table. */
@Injectable()
export class StuckCheckoutRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `scan` in a transaction (the rows it locks stay locked until it ends). */
  transaction<T>(scan: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(scan);
  }

  /**
   * Locks up to `limit` checkouts past `deadlineMs` that are not known to have ended, with what the
   * events consumed say of them, skipping rows another instance is scanning right now and those a
   * compensation has claimed.
   */
  async lockOverdue(tx: EntityManager, deadlineMs: number, limit: number): Promise<OverdueCheckout[]> {
    const rows = await rowsOf<OverdueRow>(
      tx,
      `SELECT c.checkout_id, c.accepted_at, c.stuck_at, c.compensation_refused, v.status, v.view->>'lastEventType' AS last_event_type
       FROM watched_checkouts c LEFT JOIN checkout_view v USING (checkout_id)
       WHERE c.settled_at IS NULL AND c.compensated_at IS NULL AND c.accepted_at < now() - $1::int * interval '1 millisecond'
         AND (c.claimed_until IS NULL OR c.claimed_until < now())
       ORDER BY c.accepted_at LIMIT $2 FOR UPDATE OF c SKIP LOCKED`,
      [deadlineMs, limit],
    );
    return rows.map((r) => ({
      checkoutId: r.checkout_id,
      acceptedAt: r.accepted_at,
      status: r.status ?? 'PENDING',
      lastEventType: r.last_event_type ?? 'CheckoutInitiated',
      ...(r.stuck_at !== null && { stuckAt: r.stuck_at }),
      ...(r.compensation_refused !== null && { compensationRefused: r.compensation_refused }),
    }));
  }

  /** Marks checkouts the read model shows ended: no scan looks at them again. */
  async markSettled(tx: EntityManager, settled: { checkoutId: string; status: CheckoutStatus }[]): Promise<void> {
    if (settled.length === 0) return;
    await tx.query(
      `UPDATE watched_checkouts c SET settled_at = now(), settled_status = s.status
       FROM jsonb_to_recordset($1::jsonb) AS s("checkoutId" text, status text) WHERE c.checkout_id = s."checkoutId"`,
      [JSON.stringify(settled)],
    );
  }

  /** Marks checkouts stuck (keeping when they were first found) with the last event the read model saw. */
  async markStuck(tx: EntityManager, stuck: { checkoutId: string; lastEventType: string }[]): Promise<void> {
    if (stuck.length === 0) return;
    await tx.query(
      `UPDATE watched_checkouts c SET stuck_at = coalesce(c.stuck_at, now()), last_event_type = s."lastEventType"
       FROM jsonb_to_recordset($1::jsonb) AS s("checkoutId" text, "lastEventType" text) WHERE c.checkout_id = s."checkoutId"`,
      [JSON.stringify(stuck)],
    );
  }

  /** Every checkout stuck now, oldest first. */
  async listStuck(limit: number): Promise<StuckCheckout[]> {
    const rows = await rowsOf<StuckRow>(
      this.db.manager,
      `SELECT checkout_id, client_id, cart_id, accepted_at, stuck_at, last_event_type, compensation_refused,
         (extract(epoch FROM now() - accepted_at) * 1000)::float8 AS age_ms
       FROM watched_checkouts WHERE ${STUCK} ORDER BY accepted_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      checkoutId: r.checkout_id,
      clientId: r.client_id,
      ...(r.cart_id !== null && { cartId: r.cart_id }),
      acceptedAt: r.accepted_at.toISOString(),
      stuckSince: r.stuck_at.toISOString(),
      ageMs: Math.round(r.age_ms),
      lastEventType: r.last_event_type ?? 'CheckoutInitiated',
      ...(r.compensation_refused !== null && { compensationRefused: r.compensation_refused }),
    }));
  }

  async countStuck(): Promise<number> {
    const [row] = await rowsOf<{ n: number }>(this.db.manager, `SELECT count(*)::int AS n FROM watched_checkouts WHERE ${STUCK}`);
    return row?.n ?? 0;
  }
}
