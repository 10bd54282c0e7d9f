import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { type CartView, foldCart } from '@app/projections';
import { type CartCommand, decideCart } from '../cart/cart.decisions.js';
import { cartNotFound } from '../cart/cart.errors.js';
import { CartRepository } from '../cart/cart.repository.js';
import { FailedCartCheckouts } from '../cart/failed-cart-checkout.reader.js';
import { CheckoutOutboxRelay } from '../publish-events/checkout-outbox.relay.js';

const isCheckedOut = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === ErrorCode.CartCheckedOut;

/** Creates carts and changes their items: each change is decided on the cart's events and appended after them. */
@Injectable()
export class ManageCartHandler {
  constructor(
    private readonly carts: CartRepository,
    private readonly failedCheckouts: FailedCartCheckouts,
    private readonly relay: CheckoutOutboxRelay,
  ) {}

  async create(clientId: string): Promise<CartView> {
    const cartId = randomUUID();
    const events = await this.carts.withRetry(cartId, (tx) => this.carts.append(tx, cartId, 0, [{ type: 'CartCreated', payload: { cartId, clientId } }]));
    this.relay.nudge();
    return foldCart(events)!;
  }

  /**
   * The cart after the command; unchanged when there was nothing to do. A cart whose checkout failed
   * is reopened by the change; whether it failed is looked up only for a checked-out cart, outside
   * the cart's transaction.
   */
  async change(cartId: string, command: CartCommand): Promise<CartView> {
    let cart: CartView | undefined;
    try {
      cart = await this.apply(cartId, command);
    } catch (error) {
      if (!isCheckedOut(error)) throw error;
      const failed = await this.failedCheckouts.of((await this.carts.load(cartId)).cart);
      if (failed === undefined) throw error;
      cart = await this.apply(cartId, command, failed);
    }
    this.relay.nudge();
    return cart!;
  }

  async get(cartId: string): Promise<CartView> {
    const { cart } = await this.carts.load(cartId);
    if (cart === undefined) throw cartNotFound(cartId);
    return cart;
  }

  private apply(cartId: string, command: CartCommand, failedCheckoutId?: string): Promise<CartView | undefined> {
    return this.carts.withRetry(cartId, async (tx) => {
      const { cart: current, events } = await this.carts.load(cartId, tx);
      const appended = await this.carts.append(tx, cartId, current?.version ?? 0, decideCart(current, cartId, command, failedCheckoutId));
      return foldCart([...events, ...appended]);
    });
  }
}
