import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type CartView, foldCart } from '@app/projections';
import { type CartCommand, decideCart } from '../cart/cart.decisions.js';
import { cartNotFound } from '../cart/cart.errors.js';
import { CartRepository } from '../cart/cart.repository.js';
import { CheckoutOutboxRelay } from '../publish-events/checkout-outbox.relay.js';

/** Creates carts and changes their items: each change is decided on the cart's events and appended after them. */
@Injectable()
export class ManageCartHandler {
  constructor(
    private readonly carts: CartRepository,
    private readonly relay: CheckoutOutboxRelay,
  ) {}

  async create(clientId: string): Promise<CartView> {
    const cartId = randomUUID();
    const events = await this.carts.withRetry(cartId, (tx) => this.carts.append(tx, cartId, 0, [{ type: 'CartCreated', payload: { cartId, clientId } }]));
    this.relay.nudge();
    return foldCart(events)!;
  }

  /** The cart after the command; unchanged when there was nothing to do. */
  async change(cartId: string, command: CartCommand): Promise<CartView> {
    const cart = await this.carts.withRetry(cartId, async (tx) => {
      const { cart: current, events } = await this.carts.load(cartId, tx);
      const appended = await this.carts.append(tx, cartId, current?.version ?? 0, decideCart(current, cartId, command));
      return foldCart([...events, ...appended]);
    });
    this.relay.nudge();
    return cart!;
  }

  async get(cartId: string): Promise<CartView> {
    const { cart } = await this.carts.load(cartId);
    if (cart === undefined) throw cartNotFound(cartId);
    return cart;
  }
}
