import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope, SealedCheckoutRequest } from '@app/contracts';
import { type PreparedStatement, rowsOf, runPrepared } from '@app/database';
import { type AcceptedCheckout, type CheckoutRow, toAcceptedCheckout } from './accepted-checkout.mapper.js';

/** A checkout to record, with the CheckoutInitiated that announces it. */
export interface NewCheckout {
  request: SealedCheckoutRequest;
  initiated: EventEnvelope<'CheckoutInitiated'>;
  cartId?: string;
  idempotencyKey?: string;
}

// One statement, prepared (it runs on every checkout): the checkout and its event are recorded
// together or not at all, and a taken idempotency key records neither.
const ACCEPT: PreparedStatement = {
  name: 'checkout_accept',
  text: `
  WITH accepted AS (
    INSERT INTO checkouts (checkout_id, client_id, request, cart_id, idempotency_key, initiated_event_id)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING *
  ), queued AS (
    INSERT INTO checkout_outbox (envelope) SELECT $7::jsonb FROM accepted
  )
  SELECT * FROM accepted`,
};

/** The accepted choreographed checkouts (schema `checkout`) and the outbox their events go through. */
@Injectable()
export class CheckoutRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records the checkout and queues its CheckoutInitiated; undefined when the idempotency key is taken. */
  async accept(checkout: NewCheckout, tx: EntityManager = this.db.manager): Promise<AcceptedCheckout | undefined> {
    const { initiated } = checkout;
    const [row] = await runPrepared<CheckoutRow>(tx, ACCEPT, [
      initiated.payload.checkoutId,
      initiated.payload.clientId,
      JSON.stringify(checkout.request),
      checkout.cartId ?? null,
      checkout.idempotencyKey ?? null,
      initiated.eventId,
      JSON.stringify(initiated),
    ]);
    return row === undefined ? undefined : toAcceptedCheckout(row);
  }

  async find(checkoutId: string, tx: EntityManager = this.db.manager): Promise<AcceptedCheckout | undefined> {
    const [row] = await rowsOf<CheckoutRow>(tx, 'SELECT * FROM checkouts WHERE checkout_id = $1', [checkoutId]);
    return row === undefined ? undefined : toAcceptedCheckout(row);
  }

  async findByIdempotencyKey(key: string): Promise<AcceptedCheckout | undefined> {
    const [row] = await rowsOf<CheckoutRow>(this.db.manager, 'SELECT * FROM checkouts WHERE idempotency_key = $1', [key]);
    return row === undefined ? undefined : toAcceptedCheckout(row);
  }
}
