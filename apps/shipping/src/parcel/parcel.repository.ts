import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AnyEvent, IncidentKind } from '@app/contracts';
import { type PreparedStatement, rowsOf, runPrepared } from '@app/database';
import type { ParcelState } from './parcel.machine.js';
import type { ParcelRow } from './parcel.mapper.js';

/** What a parcel is registered for. */
export interface ParcelOrder {
  checkoutId: string;
  clientId: string;
  orderId: string;
}

/** What a transition writes besides the status. */
export interface ParcelChange {
  status: ParcelState;
  carrierRef?: string;
  incident?: { kind: IncidentKind; detail?: string };
}

/** A move's change to a parcel ($1 the parcel, $2-$5 `changeValues`); any change is news from the carrier, which restarts its deadline. */
const MOVE = `UPDATE parcels SET status = $2, carrier_ref = coalesce($3, carrier_ref), incident_kind = coalesce($4, incident_kind),
    incident_detail = coalesce($5, incident_detail), last_news_at = now(), updated_at = now()
  WHERE parcel_id = $1`;

/* The inserts of every parcel's life, prepared (ADR 0022); what finds a parcel is planned on each run, as the table grows. */
const REGISTER: PreparedStatement = {
  name: 'parcel_register',
  text: `INSERT INTO parcels (checkout_id, client_id, order_id, status, replaces_parcel_id) VALUES ($1, $2, $3, 'REGISTERED', $4)
       ON CONFLICT DO NOTHING RETURNING *`,
};
const QUEUE: PreparedStatement = {
  name: 'parcel_queue_events',
  text: 'INSERT INTO shipping_outbox (envelope) SELECT e FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n) ORDER BY n',
};

const changeValues = (parcelId: string, change: ParcelChange) => [
  parcelId,
  change.status,
  change.carrierRef ?? null,
  change.incident?.kind ?? null,
  change.incident?.detail ?? null,
];

/** The parcels table and the outbox of their events; every write but `moveFrom` is in the caller's transaction. */
@Injectable()
export class ParcelRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Registers a parcel, or nothing (undefined) when the checkout already has its first one, or the parcel replaced was already reshipped. */
  async register(tx: EntityManager, order: ParcelOrder, replacesParcelId?: string): Promise<ParcelRow | undefined> {
    const [row] = await runPrepared<ParcelRow>(tx, REGISTER, [order.checkoutId, order.clientId, order.orderId, replacesParcelId ?? null]);
    return row;
  }

  /** The parcel as last committed, or undefined. */
  async find(parcelId: string): Promise<ParcelRow | undefined> {
    const [row] = await rowsOf<ParcelRow>(this.db.manager, 'SELECT * FROM parcels WHERE parcel_id = $1', [parcelId]);
    return row;
  }

  /**
   * Moves a parcel that is still in `from`, and queues the move's events, in one statement (its own
   * transaction): the status is the parcel's version, and only moves forward, so a parcel another
   * move changed since it was read is left alone (undefined) for the caller to decide again.
   */
  async moveFrom(parcelId: string, from: ParcelState, change: ParcelChange, events: readonly AnyEvent[]): Promise<ParcelRow | undefined> {
    const [row] = await rowsOf<ParcelRow>(
      this.db.manager,
      `WITH moved AS (${MOVE} AND status = $6 RETURNING *), queued AS (
         INSERT INTO shipping_outbox (envelope) SELECT e FROM moved, jsonb_array_elements($7::jsonb) WITH ORDINALITY AS t(e, n) ORDER BY n
       )
       SELECT * FROM moved`,
      [...changeValues(parcelId, change), from, JSON.stringify(events)],
    );
    return row;
  }

  /** The parcel, locked until the transaction ends, or undefined. */
  async lock(tx: EntityManager, parcelId: string): Promise<ParcelRow | undefined> {
    const [row] = await rowsOf<ParcelRow>(tx, 'SELECT * FROM parcels WHERE parcel_id = $1 FOR UPDATE', [parcelId]);
    return row;
  }

  /** Moves a locked parcel; any change is news from the carrier, which restarts its deadline. */
  async move(tx: EntityManager, parcelId: string, change: ParcelChange): Promise<ParcelRow> {
    const [row] = await rowsOf<ParcelRow>(tx, `${MOVE} RETURNING *`, changeValues(parcelId, change));
    return row!;
  }

  /** Queues events for the relay, in the transaction of the change they announce. */
  async queue(tx: EntityManager, events: readonly AnyEvent[]): Promise<void> {
    if (events.length === 0) return;
    await runPrepared(tx, QUEUE, [JSON.stringify(events)]);
  }

  /**
   * Parcels in one of `statuses` whose last move is older than `idleMs`, locked (SKIP LOCKED: instances
   * scan side by side), oldest first.
   */
  async lockIdle(tx: EntityManager, statuses: readonly ParcelState[], idleMs: number, limit: number): Promise<ParcelRow[]> {
    return rowsOf<ParcelRow>(
      tx,
      `SELECT * FROM parcels WHERE status = ANY($1) AND last_news_at < now() - make_interval(secs => $2::double precision / 1000)
       ORDER BY last_news_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [statuses, idleMs, limit],
    );
  }

  /** Parcels whose refund was decided more than `idleMs` ago and is not finished (its participant calls failed, or the app stopped). */
  async refundsUnfinished(idleMs: number, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ parcel_id: string }[]>(
      `SELECT parcel_id FROM parcels WHERE status = 'REFUNDING' AND updated_at < now() - make_interval(secs => $1::double precision / 1000) ORDER BY updated_at LIMIT $2`,
      [idleMs, limit],
    );
    return rows.map((r) => r.parcel_id);
  }
}
