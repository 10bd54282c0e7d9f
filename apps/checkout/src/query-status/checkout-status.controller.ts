import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { CheckoutIdParam } from '@app/contracts';
import { OrchestratorUnavailableFilter } from '../checkout-cart/orchestrator-unavailable.filter.js';
import { SagaOrchestratorClient } from '../checkout-cart/saga-orchestrator.client.js';
import { checkoutNotFound } from '../checkout/checkout.errors.js';
import { CheckoutRepository } from '../checkout/checkout.repository.js';
import { type CheckoutStatusAnswer, checkoutStatusOf, orchestratedStatusOf } from './checkout-status.mapper.js';
import { CheckoutViewRepository } from './checkout-view.repository.js';

@Controller('checkout')
@UseFilters(OrchestratorUnavailableFilter)
export class CheckoutStatusController {
  constructor(
    private readonly views: CheckoutViewRepository,
    private readonly checkouts: CheckoutRepository,
    private readonly orchestrator: SagaOrchestratorClient,
  ) {}

  /**
   * PENDING, SUCCEEDED (with orderId) or FAILED (with failedStep, code and reason), as this app's
   * own fold of the checkout stream tells it; a checkout of either style is found by its id. An
   * orchestrated checkout appears there once it ends: before, the orchestrator answers for it.
   * 404 `CHECKOUT.NOT_FOUND` when neither knows it; 503 `SAGA.UNAVAILABLE` when the orchestrator
   * cannot be asked.
   */
  @Get(':checkoutId')
  async status(@Param() { checkoutId }: CheckoutIdParam): Promise<CheckoutStatusAnswer> {
    const [view, accepted] = await Promise.all([this.views.viewOf(checkoutId), this.checkouts.find(checkoutId)]);
    if (view === undefined && accepted === undefined) return this.orchestrated(checkoutId);
    return checkoutStatusOf(checkoutId, view, accepted);
  }

  private async orchestrated(checkoutId: string): Promise<CheckoutStatusAnswer> {
    const saga = await this.orchestrator.status(checkoutId);
    if (saga.status !== 200) throw checkoutNotFound(checkoutId);
    return orchestratedStatusOf(checkoutId, saga.body);
  }
}
