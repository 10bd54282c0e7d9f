import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ExponentialBackoff, handleType, retry } from 'cockatiel';
import { DataSource, type EntityManager } from 'typeorm';
import { type AnyEvent, createEnvelope } from '@app/contracts';
import { rowsOf } from '@app/database';
import { type CartView, foldCart } from '@app/projections';
import { CHECKOUT_SETTINGS, type CheckoutSettings } from '../checkout.settings.js';
import { PRODUCER } from '../publish-events/checkout.events.js';
import type { CartChange } from './cart.decisions.js';
import { CartVersionConflict, cartConcurrentChange } from './cart.errors.js';

// One statement: the events take the versions after the expected one and go to the outbox with
// them. A version another writer took inserts nothing (rather than failing, which would be logged).
// The request digest stays on the CartCheckedOut row: the outbox relays the event alone.
const APPEND = `
  WITH appended AS (
    INSERT INTO cart_events (cart_id, version, event, request_digest)
    SELECT $1, $2 + n, e, CASE WHEN e->>'type' = 'CartCheckedOut' THEN $4 END FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(e, n)
    ON CONFLICT (cart_id, version) DO NOTHING
    RETURNING version, event
  ), queued AS (
    INSERT INTO checkout_outbox (envelope) SELECT event FROM appended ORDER BY version
  )
  SELECT count(*)::int AS appended FROM appended`;

/** A cart folded from its events, and those events. */
export interface LoadedCart {
  cart: CartView | undefined;
  events: AnyEvent[];
  /** The request digest of the cart's last checkout (see `checkoutRequestDigest`), if it has one. */
  requestDigest?: string;
}

/**
 * The event-sourced carts (table `cart_events`): a cart is the fold of its events, and a change
 * appends events after the version it was decided on. The primary key (cart_id, version) is the
 * optimistic lock: of two writers deciding on the same version, the second fails and decides again.
 */
@Injectable()
export class CartRepository {
  private readonly retryConflicts;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CHECKOUT_SETTINGS) settings: CheckoutSettings,
  ) {
    this.retryConflicts = retry(handleType(CartVersionConflict), {
      maxAttempts: settings.cartAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: 2, maxDelay: 50 }),
    });
  }

  async load(cartId: string, tx: EntityManager = this.db.manager): Promise<LoadedCart> {
    const rows = await rowsOf<{ event: AnyEvent; request_digest: string | null }>(
      tx,
      'SELECT event, request_digest FROM cart_events WHERE cart_id = $1 ORDER BY version',
      [cartId],
    );
    const events = rows.map((r) => r.event);
    const requestDigest = rows.findLast((r) => r.request_digest !== null)?.request_digest;
    return { cart: foldCart(events), events, ...(requestDigest !== undefined && requestDigest !== null && { requestDigest }) };
  }

  /**
   * Appends the changes after `expectedVersion` and queues them for `ecommerce.carts.events`, in
   * the caller's transaction; a CartCheckedOut among them keeps `requestDigest`.
   * @throws CartVersionConflict when another writer appended that version first.
   */
  async append(tx: EntityManager, cartId: string, expectedVersion: number, changes: readonly CartChange[], requestDigest?: string): Promise<AnyEvent[]> {
    const envelopes = changes.map((c) => createEnvelope(c.type, c.payload, { correlationId: cartId, producer: PRODUCER }) as AnyEvent);
    if (envelopes.length === 0) return [];
    const [result] = await rowsOf<{ appended: number }>(tx, APPEND, [cartId, expectedVersion, JSON.stringify(envelopes), requestDigest ?? null]);
    // The caller's transaction rolls back whatever part did go in.
    if (result?.appended !== envelopes.length) throw new CartVersionConflict(cartId, expectedVersion);
    return envelopes;
  }

  /**
   * Appends in a transaction of its own, once: for a change decided on a version that must not move.
   * @throws CartVersionConflict when the cart is no longer at `expectedVersion`.
   */
  appendOnce(cartId: string, expectedVersion: number, changes: readonly CartChange[], requestDigest?: string): Promise<AnyEvent[]> {
    return this.db.transaction((tx) => this.append(tx, cartId, expectedVersion, changes, requestDigest));
  }

  /**
   * Runs `change` (load, decide, append, in one transaction) again on the fresh cart each time
   * another writer got the version first.
   * @throws ConflictError `CART.CONCURRENT_CHANGE` when it kept losing the race.
   */
  async withRetry<T>(cartId: string, change: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.retryConflicts.execute(() => this.db.transaction(change));
    } catch (error) {
      if (error instanceof CartVersionConflict) throw cartConcurrentChange(cartId);
      throw error;
    }
  }
}
