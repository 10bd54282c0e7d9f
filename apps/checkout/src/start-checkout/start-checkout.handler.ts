import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type CheckoutRequest,
  type CheckoutRequestDto,
  PaymentTokenSealer,
  isSameCheckoutRequest,
  mergeLineItems,
  sealCheckoutRequest,
} from '@app/contracts';
import type { AcceptedCheckout } from '../checkout/accepted-checkout.mapper.js';
import { idempotencyKeyReused } from '../checkout/checkout.errors.js';
import { CheckoutRepository } from '../checkout/checkout.repository.js';
import { CheckoutOutboxRelay } from '../publish-events/checkout-outbox.relay.js';
import { checkoutInitiated } from '../publish-events/checkout.events.js';

/**
 * Accepts a choreographed checkout: records it with its CheckoutInitiated in one statement and lets
 * the relay publish the event; the card token is sealed for payments before either is written. With
 * an idempotency key already used, returns that first checkout (422 when the key came with another
 * purchase): every retry, concurrent or not, meets the first on the key's unique index.
 */
@Injectable()
export class StartCheckoutHandler {
  constructor(
    private readonly repository: CheckoutRepository,
    private readonly sealer: PaymentTokenSealer,
    private readonly relay: CheckoutOutboxRelay,
  ) {}

  async execute(body: CheckoutRequestDto, idempotencyKey: string | undefined): Promise<AcceptedCheckout> {
    const request: CheckoutRequest = { clientId: body.clientId, items: mergeLineItems(body.items), payment: { token: body.payment.token } };
    const checkoutId = randomUUID();
    const sealed = sealCheckoutRequest(request, checkoutId, this.sealer);
    const accepted = await this.repository.accept({ request: sealed, initiated: checkoutInitiated(sealed, { checkoutId }), idempotencyKey });
    // Nothing recorded: the key is taken, by an earlier request or by a concurrent retry that got there first.
    if (accepted === undefined) return this.replay(request, idempotencyKey ?? '', await this.repository.findByIdempotencyKey(idempotencyKey ?? ''));
    this.relay.nudge();
    return accepted;
  }

  private replay(request: CheckoutRequest, key: string, first: AcceptedCheckout | undefined): AcceptedCheckout {
    if (first === undefined) throw new Error(`Idempotency key ${key} conflicted but no checkout holds it`);
    if (!isSameCheckoutRequest(first.request, first.checkoutId, request)) throw idempotencyKeyReused(key, first.checkoutId);
    return first;
  }
}
