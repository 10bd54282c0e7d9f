import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { CheckoutRequest } from '@app/contracts';
import type { CartView } from '@app/projections';
import { decideCart, linesToCheckOut, openCart } from '../cart/cart.decisions.js';
import { CartVersionConflict, cartCheckedOut, cartConcurrentChange, cartNotFound } from '../cart/cart.errors.js';
import { CartRepository } from '../cart/cart.repository.js';
import { CheckoutRepository } from '../checkout/checkout.repository.js';
import { CheckoutOutboxRelay } from '../publish-events/checkout-outbox.relay.js';
import { checkoutInitiated } from '../publish-events/checkout.events.js';
import type { CheckoutMode } from './checkout-cart.dto.js';
import { type CartCheckoutAnswer, cartCheckoutAnswerOf } from './saga-answer.mapper.js';
import { SagaOrchestratorClient } from './saga-orchestrator.client.js';

/** The orchestrator answered with a saga for the checkout (succeeded, compensated, or still running). */
const SAGA_ANSWERS = new Set([201, 202, 409]);

/**
 * Checks a cart out in either style, once: the cart records `CartCheckedOut` with the id of the
 * checkout it started, and a repeated checkout in the same style answers with that checkout.
 * Choreographed: the CartCheckedOut, the accepted checkout and its CheckoutInitiated are one
 * transaction. Orchestrated: the saga runs first (its id is the orchestrator's to choose), under an
 * Idempotency-Key made of the cart and its version, so a retry never runs a second saga; should
 * the cart change meanwhile, the saga is compensated rather than recorded against another cart.
 */
@Injectable()
export class CheckoutCartHandler {
  private readonly logger = new Logger(CheckoutCartHandler.name);

  constructor(
    private readonly carts: CartRepository,
    private readonly checkouts: CheckoutRepository,
    private readonly orchestrator: SagaOrchestratorClient,
    private readonly relay: CheckoutOutboxRelay,
  ) {}

  execute(cartId: string, mode: CheckoutMode, token: string): Promise<CartCheckoutAnswer> {
    return mode === 'choreographed' ? this.choreographed(cartId, token) : this.orchestrated(cartId, token);
  }

  private async choreographed(cartId: string, token: string): Promise<CartCheckoutAnswer> {
    const checkoutId = await this.carts.withRetry(cartId, async (tx) => {
      const { cart } = await this.carts.load(cartId, tx);
      const previous = previousCheckout(cart, cartId, 'choreographed');
      if (previous !== undefined) return previous;
      const id = randomUUID();
      const [checkedOut] = await this.carts.append(
        tx,
        cartId,
        cart!.version,
        decideCart(cart, cartId, { type: 'CheckOut', checkoutId: id, mode: 'choreographed' }),
      );
      const request = requestOf(cart, cartId, token);
      const initiated = checkoutInitiated(request, { checkoutId: id, cartId, causationId: checkedOut!.eventId });
      await this.checkouts.accept({ request, initiated, cartId }, tx);
      return id;
    });
    this.relay.nudge();
    return { status: 202, checkoutId, body: { checkoutId, status: 'PENDING', cartId, mode: 'choreographed' } };
  }

  private async orchestrated(cartId: string, token: string): Promise<CartCheckoutAnswer> {
    const { cart } = await this.carts.load(cartId);
    const previous = previousCheckout(cart, cartId, 'orchestrated');
    if (previous !== undefined) return cartCheckoutAnswerOf(await this.orchestrator.status(previous), cartId);
    const version = cart!.version;
    const answer = await this.orchestrator.checkout(requestOf(cart, cartId, token), `cart:${cartId}:v${version}`);
    if (!SAGA_ANSWERS.has(answer.status)) return cartCheckoutAnswerOf(answer, cartId);
    const { checkoutId, sagaId } = answer.body;
    try {
      await this.carts.appendOnce(cartId, version, [{ type: 'CartCheckedOut', payload: { cartId, checkoutId, mode: 'orchestrated' } }]);
    } catch (error) {
      if (!(error instanceof CartVersionConflict)) throw error;
      await this.undoUnlessRecorded(cartId, checkoutId, sagaId);
    }
    this.relay.nudge();
    return cartCheckoutAnswerOf(answer, cartId);
  }

  /**
   * The saga ran but the cart moved on: either a concurrent retry recorded this very checkout
   * (fine), or the cart changed or was checked out otherwise while the saga ran.
   */
  private async undoUnlessRecorded(cartId: string, checkoutId: string, sagaId: string): Promise<void> {
    const { cart } = await this.carts.load(cartId);
    if (cart?.checkoutId === checkoutId) return;
    this.logger.warn(`Cart ${cartId} changed while saga ${sagaId} ran: compensating the saga`);
    await this.orchestrator.compensate(sagaId);
    openCart(cart, cartId);
    throw cartConcurrentChange(cartId);
  }
}

/** The checkout a cart already started in this style; one in the other style is a 409. */
function previousCheckout(cart: CartView | undefined, cartId: string, mode: CheckoutMode): string | undefined {
  if (cart === undefined) throw cartNotFound(cartId);
  if (cart.status !== 'CHECKED_OUT') return undefined;
  if (cart.mode !== mode || cart.checkoutId === undefined) throw cartCheckedOut(cart);
  return cart.checkoutId;
}

function requestOf(cart: CartView | undefined, cartId: string, token: string): CheckoutRequest {
  return { clientId: cart?.clientId ?? '', items: linesToCheckOut(cart, cartId), payment: { token } };
}
