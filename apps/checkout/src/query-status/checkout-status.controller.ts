import { Controller, Get, Param } from '@nestjs/common';
import { CheckoutIdParam } from '@app/contracts';
import { checkoutNotFound } from '../checkout/checkout.errors.js';
import { CheckoutRepository } from '../checkout/checkout.repository.js';
import { type CheckoutStatusAnswer, checkoutStatusOf } from './checkout-status.mapper.js';
import { CheckoutViewRepository } from './checkout-view.repository.js';

@Controller('checkout')
export class CheckoutStatusController {
  constructor(
    private readonly views: CheckoutViewRepository,
    private readonly checkouts: CheckoutRepository,
  ) {}

  /**
   * PENDING, SUCCEEDED (with orderId) or FAILED (with failedStep, code and reason), as this app's
   * own fold of the events tells it; a checkout of either style is found by its id. 404 `CHECKOUT.NOT_FOUND` when neither
   * the read model nor this app knows it.
   */
  @Get(':checkoutId')
  async status(@Param() { checkoutId }: CheckoutIdParam): Promise<CheckoutStatusAnswer> {
    const [view, accepted] = await Promise.all([this.views.viewOf(checkoutId), this.checkouts.find(checkoutId)]);
    if (view === undefined && accepted === undefined) throw checkoutNotFound(checkoutId);
    return checkoutStatusOf(checkoutId, view, accepted);
  }
}
