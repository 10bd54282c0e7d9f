import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { OrdersClient, PaymentsClient } from '@app/checkout-steps';
import { counter } from '@app/observability';
import { AWAITING_CARRIER, PARCEL_STATES, type ParcelMove, type ParcelState, decideMove } from '../parcel/parcel.machine.js';
import { illegalTransition, parcelNotFound } from '../parcel/parcel.errors.js';
import { parcelEvent } from '../parcel/parcel.events.js';
import { type Parcel, type ParcelRow, toParcel } from '../parcel/parcel.mapper.js';
import { type ParcelChange, ParcelRepository } from '../parcel/parcel.repository.js';
import { ShippingOutboxRelay } from '../publish-events/shipping-outbox.relay.js';

/** What a move's transaction decided: the parcel as it is now, and whether a refund must be carried out. */
interface Moved {
  parcel: ParcelRow;
  refund: boolean;
  /** The status reached, when the move was applied. */
  applied?: ParcelState;
}

const isReshipment = (move: ParcelMove): boolean => move.kind === 'resolve' && move.resolution === 'RESHIPPED';

/** The events of a move other than a reshipment (a refund's come when it is carried out); they name only what a parcel never changes. */
function eventsOf(parcel: ParcelRow, move: ParcelMove): AnyEvent[] {
  switch (move.kind) {
    case 'ship':
      return [parcelEvent('ParcelShipped', parcel, move.carrierRef !== undefined ? { carrierRef: move.carrierRef } : {})];
    case 'deliver':
      return [parcelEvent('ParcelDelivered', parcel, {})];
    case 'declare-incident':
      return [parcelEvent('IncidentDeclared', parcel, { kind: move.incident, ...(move.detail !== undefined && { detail: move.detail }) })];
    case 'resolve':
      return [];
  }
}

/** A move applied: the parcel after it, and whether it decided a refund. */
const movedTo = (parcel: ParcelRow, to: ParcelState): Moved => ({ parcel, refund: to === 'REFUNDING', applied: to });

/** The change a move makes to a parcel's row, once decided legal. */
function changeOf(move: ParcelMove, to: ParcelState): ParcelChange {
  switch (move.kind) {
    case 'ship':
      return { status: to, ...(move.carrierRef !== undefined && { carrierRef: move.carrierRef }) };
    case 'declare-incident':
      return { status: to, incident: { kind: move.incident, ...(move.detail !== undefined && { detail: move.detail }) } };
    case 'deliver':
    case 'resolve':
      return { status: to };
  }
}

/**
 * Applies a carrier's news (or the deadline's, or an operator's resolution) to a parcel: decides it
 * with the parcel's transition table under the parcel's row lock, and writes the new status and its
 * events in one transaction. A repeated move answers the parcel unchanged; an illegal one is refused.
 * A refund is decided first (REFUNDING), then the authorization is voided and the order marked
 * refunded, then REFUNDED is written with its `IncidentResolved`: a crash in between leaves the
 * parcel REFUNDING, and the deadline scan or a repeated request finishes it (both calls are idempotent).
 */
@Injectable()
export class MoveParcelHandler {
  private readonly logger = new Logger(MoveParcelHandler.name);
  private readonly moves = counter({ name: 'parcel_transitions_total', help: 'Parcel transitions applied, by status reached', labelNames: ['to'] });

  constructor(
    private readonly parcels: ParcelRepository,
    private readonly relay: ShippingOutboxRelay,
    private readonly orders: OrdersClient,
    private readonly payments: PaymentsClient,
  ) {
    // Every series from the start, so a dashboard shows 0 rather than nothing.
    for (const to of PARCEL_STATES) this.moves.inc({ to }, 0);
  }

  /**
   * @throws NotFoundError `SHIPPING.PARCEL_NOT_FOUND`; ConflictError `SHIPPING.ILLEGAL_TRANSITION`.
   */
  async apply(parcelId: string, move: ParcelMove): Promise<Parcel> {
    const moved = await this.decideAndWrite(parcelId, move);
    if (moved.applied !== undefined) this.moves.inc({ to: moved.applied });
    this.relay.nudge();
    return toParcel(moved.refund ? await this.refund(moved.parcel) : moved.parcel);
  }

  /**
   * Declares a DEADLINE incident on up to `limit` parcels with no carrier news for `deadlineMs`, in
   * one transaction that locks them (SKIP LOCKED): a callback that lands meanwhile either waits for
   * it and finds the incident, or went first and the parcel is no longer idle. Resolves with their ids.
   */
  async declareOverdue(deadlineMs: number, limit: number): Promise<string[]> {
    const move: ParcelMove = { kind: 'declare-incident', incident: 'DEADLINE', detail: `no news from the carrier for ${deadlineMs} ms` };
    const overdue = await this.parcels.transaction(async (tx) => {
      const idle = await this.parcels.lockIdle(tx, AWAITING_CARRIER, deadlineMs, limit);
      for (const parcel of idle) {
        const after = await this.parcels.move(tx, parcel.parcel_id, changeOf(move, 'INCIDENT'));
        await this.parcels.queue(tx, eventsOf(after, move));
      }
      return idle.map((p) => p.parcel_id);
    });
    if (overdue.length > 0) {
      this.moves.inc({ to: 'INCIDENT' }, overdue.length);
      this.relay.nudge();
    }
    return overdue;
  }

  /**
   * Decides the move on the parcel as last committed and writes it in one statement that applies only
   * if the parcel is still where the decision was taken (a parcel only moves forward, so its status
   * is its version); if another move got there first, decides again on what it is now. A reshipment,
   * which registers the new parcel with the move, is written in a transaction under the parcel's lock.
   */
  private async decideAndWrite(parcelId: string, move: ParcelMove): Promise<Moved> {
    if (isReshipment(move)) return this.parcels.transaction((tx) => this.reship(tx, parcelId, move));
    for (;;) {
      const moved = await this.decided(await this.parcels.find(parcelId), parcelId, move, async (parcel, to) => {
        const after = await this.parcels.moveFrom(parcelId, parcel.status, changeOf(move, to), eventsOf(parcel, move));
        return after === undefined ? undefined : movedTo(after, to);
      });
      if (moved !== undefined) return moved;
    }
  }

  /** A reshipment, decided under the parcel's lock: the move, the new parcel and both their events, in the caller's transaction. */
  private async reship(tx: EntityManager, parcelId: string, move: ParcelMove): Promise<Moved> {
    return this.decided(await this.parcels.lock(tx, parcelId), parcelId, move, async (parcel, to) => {
      const after = await this.parcels.move(tx, parcel.parcel_id, changeOf(move, to));
      const order = { checkoutId: after.checkout_id, clientId: after.client_id, orderId: after.order_id };
      const replacement = (await this.parcels.register(tx, order, after.parcel_id))!;
      await this.parcels.queue(tx, [
        parcelEvent('IncidentResolved', after, { resolution: 'RESHIPPED', newParcelId: replacement.parcel_id }),
        parcelEvent('ParcelRegistered', replacement, { replacesParcelId: after.parcel_id }),
      ]);
      return movedTo(after, to);
    });
  }

  /** What the parcel's transition table says of `move`: refused, repeated, a refund to finish, or `write` to carry it out. */
  private async decided<R>(
    parcel: ParcelRow | undefined,
    parcelId: string,
    move: ParcelMove,
    write: (parcel: ParcelRow, to: ParcelState) => Promise<R>,
  ): Promise<Moved | R> {
    if (parcel === undefined) throw parcelNotFound(parcelId);
    const decision = decideMove(parcel.status, move);
    switch (decision.verdict) {
      case 'refuse':
        throw illegalTransition(parcelId, parcel.status, move.kind);
      case 'repeat':
        return { parcel, refund: false };
      case 'resume-refund':
        return { parcel, refund: true };
      case 'apply':
        return write(parcel, decision.to);
    }
  }

  /** Voids the authorization and marks the order refunded, then records the refund. */
  private async refund(parcel: ParcelRow): Promise<ParcelRow> {
    await this.payments.void(parcel.checkout_id);
    const order = await this.orders.refund(parcel.order_id);
    this.logger.log({ parcelId: parcel.parcel_id, checkoutId: parcel.checkout_id, orderStatus: order.status }, 'Parcel refunded');
    const done = await this.parcels.transaction(async (tx) => {
      const current = (await this.parcels.lock(tx, parcel.parcel_id))!;
      if (current.status !== 'REFUNDING') return { parcel: current, refund: false };
      const after = await this.parcels.move(tx, parcel.parcel_id, { status: 'REFUNDED' });
      await this.parcels.queue(tx, [parcelEvent('IncidentResolved', after, { resolution: 'REFUNDED' })]);
      return { parcel: after, refund: false, applied: 'REFUNDED' as const };
    });
    if (done.applied !== undefined) this.moves.inc({ to: done.applied });
    this.relay.nudge();
    return done.parcel;
  }
}
