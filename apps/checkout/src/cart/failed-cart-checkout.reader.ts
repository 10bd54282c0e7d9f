import { Injectable } from '@nestjs/common';
import type { CartView } from '@app/projections';
import { SagaOrchestratorClient } from '../checkout-cart/saga-orchestrator.client.js';
import { CheckoutViewRepository } from '../query-status/checkout-view.repository.js';

/**
 * Whether the checkout that checked a cart out failed, so the cart may be reopened. The checkout
 * view (both styles) answers first; an orchestrated checkout the view does not show as failed yet is
 * asked of the orchestrator, whose answer the client may just have had.
 */
@Injectable()
export class FailedCartCheckouts {
  constructor(
    private readonly views: CheckoutViewRepository,
    private readonly orchestrator: SagaOrchestratorClient,
  ) {}

  /** The cart's checkout id if that checkout failed; undefined for an open cart or a checkout pending or succeeded. */
  async of(cart: CartView | undefined): Promise<string | undefined> {
    if (cart?.status !== 'CHECKED_OUT' || cart.checkoutId === undefined) return undefined;
    const { checkoutId } = cart;
    if ((await this.views.viewOf(checkoutId))?.status === 'FAILED') return checkoutId;
    if (cart.mode !== 'orchestrated') return undefined;
    const saga = await this.orchestrator.status(checkoutId);
    return saga.status === 200 && saga.body.state === 'SAGA_ANNULEE' ? checkoutId : undefined;
  }
}
