import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type CheckoutRequest, PaymentTokenSealer, sealCheckoutRequest } from '@app/contracts';
import type { CartView } from '@app/projections';
import { checkoutRequestDigest, decideCart, linesToCheckOut, openCart, reopenedAfter } from '../cart/cart.decisions.js';
import { CartVersionConflict, cartCheckedOut, cartConcurrentChange, cartNotFound } from '../cart/cart.errors.js';
import { type LoadedCart, CartRepository } from '../cart/cart.repository.js';
import { FailedCartCheckouts } from '../cart/failed-cart-checkout.reader.js';
import { CheckoutRepository } from '../checkout/checkout.repository.js';
import { CheckoutOutboxRelay } from '../publish-events/checkout-outbox.relay.js';
import { checkoutInitiated } from '../publish-events/checkout.events.js';
import type { CheckoutMode } from './checkout-cart.dto.js';
import { type CartCheckoutAnswer, cartCheckoutAnswerOf } from './saga-answer.mapper.js';
import { SagaOrchestratorClient } from './saga-orchestrator.client.js';

/** The orchestrator answered with a saga for the checkout (succeeded, compensated, or still running). */
const SAGA_ANSWERS = new Set([201, 202, 409]);

/**
 * Checks a cart out in either style: the cart records `CartCheckedOut` with the id of the checkout
 * it started, and a repeat of the request (same style, same payment) answers with that checkout.
 * Once that checkout failed, any other request reopens the cart (`CartReopened`) and starts a new
 * checkout. Choreographed: the cart's events, the accepted checkout and its CheckoutInitiated are
 * one transaction. Orchestrated: the saga runs first (its id is the orchestrator's to choose), under
 * an Idempotency-Key made of the cart and its version, so a retry never runs a second saga; should
 * the cart change meanwhile, the saga is compensated rather than recorded against another cart.
 */
@Injectable()
export class CheckoutCartHandler {
  private readonly logger = new Logger(CheckoutCartHandler.name);

  constructor(
    private readonly carts: CartRepository,
    private readonly checkouts: CheckoutRepository,
    private readonly orchestrator: SagaOrchestratorClient,
    private readonly failedCheckouts: FailedCartCheckouts,
    private readonly sealer: PaymentTokenSealer,
    private readonly relay: CheckoutOutboxRelay,
  ) {}

  async execute(cartId: string, mode: CheckoutMode, token: string): Promise<CartCheckoutAnswer> {
    // Whether the cart's checkout failed is looked up before any transaction (it may take a call to the orchestrator).
    const loaded = await this.carts.load(cartId);
    const failed = loaded.cart?.status === 'CHECKED_OUT' && !isRepeat(loaded, mode, token) ? await this.failedCheckouts.of(loaded.cart) : undefined;
    return mode === 'choreographed' ? this.choreographed(cartId, token, failed) : this.orchestrated(loaded, cartId, token, failed);
  }

  private async choreographed(cartId: string, token: string, failed: string | undefined): Promise<CartCheckoutAnswer> {
    const checkoutId = await this.carts.withRetry(cartId, async (tx) => {
      const loaded = await this.carts.load(cartId, tx);
      const previous = previousCheckout(loaded, cartId, 'choreographed', token, failed);
      if (previous !== undefined) return previous;
      const id = randomUUID();
      const changes = decideCart(loaded.cart, cartId, { type: 'CheckOut', checkoutId: id, mode: 'choreographed' }, failed);
      const appended = await this.carts.append(tx, cartId, loaded.cart!.version, changes, checkoutRequestDigest(id, 'choreographed', token));
      const request = sealCheckoutRequest(requestOf(reopenedAfter(loaded.cart, failed).cart, cartId, token), id, this.sealer);
      const initiated = checkoutInitiated(request, { checkoutId: id, cartId, causationId: appended.at(-1)!.eventId });
      await this.checkouts.accept({ request, initiated, cartId }, tx);
      return id;
    });
    this.relay.nudge();
    return { status: 202, checkoutId, body: { checkoutId, status: 'PENDING', cartId, mode: 'choreographed' } };
  }

  private async orchestrated(loaded: LoadedCart, cartId: string, token: string, failed: string | undefined): Promise<CartCheckoutAnswer> {
    const previous = previousCheckout(loaded, cartId, 'orchestrated', token, failed);
    if (previous !== undefined) return cartCheckoutAnswerOf(await this.orchestrator.status(previous), cartId);
    const version = loaded.cart!.version;
    const answer = await this.orchestrator.checkout(requestOf(reopenedAfter(loaded.cart, failed).cart, cartId, token), `cart:${cartId}:v${version}`);
    if (!SAGA_ANSWERS.has(answer.status)) return cartCheckoutAnswerOf(answer, cartId);
    const { checkoutId, sagaId } = answer.body;
    try {
      const changes = decideCart(loaded.cart, cartId, { type: 'CheckOut', checkoutId, mode: 'orchestrated' }, failed);
      await this.carts.appendOnce(cartId, version, changes, checkoutRequestDigest(checkoutId, 'orchestrated', token));
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

/** Whether the request is the one that checked the cart out: same style, same payment (carts recorded before digests count any payment). */
function isRepeat({ cart, requestDigest }: LoadedCart, mode: CheckoutMode, token: string): boolean {
  if (cart?.checkoutId === undefined || cart.mode !== mode) return false;
  return requestDigest === undefined || requestDigest === checkoutRequestDigest(cart.checkoutId, mode, token);
}

/**
 * The checkout to answer with instead of starting one: the cart's own on a repeat, or while it is
 * pending or succeeded (409 when asked in the other style); undefined for an open cart, or one whose
 * checkout `failed`.
 */
function previousCheckout(loaded: LoadedCart, cartId: string, mode: CheckoutMode, token: string, failed: string | undefined): string | undefined {
  const { cart } = loaded;
  if (cart === undefined) throw cartNotFound(cartId);
  if (cart.status !== 'CHECKED_OUT' || cart.checkoutId === undefined) return undefined;
  if (isRepeat(loaded, mode, token)) return cart.checkoutId;
  if (cart.checkoutId === failed) return undefined;
  if (cart.mode !== mode) throw cartCheckedOut(cart);
  return cart.checkoutId;
}

function requestOf(cart: CartView | undefined, cartId: string, token: string): CheckoutRequest {
  return { clientId: cart?.clientId ?? '', items: linesToCheckOut(cart, cartId), payment: { token } };
}
