import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InventoryClient, type PricedItems, type StepOutcome, priceItems, reserveStock } from '@app/checkout-steps';
import { runCheckoutStep, stockReservationReaction, publishReaction } from '@app/choreography';
import type { CheckoutEvents, EventEnvelope } from '@app/contracts';
import { EventBus } from '@app/bus';
import { OnEvent } from '@app/redis-streams';

/** Steps 1 and 2 of the checkout: the lines priced, then their stock reserved. */
@Controller()
export class ReserveStockHandler {
  constructor(
    private readonly inventory: InventoryClient,
    private readonly publisher: EventBus,
  ) {}

  @OnEvent('CheckoutInitiated')
  async handle(@Payload() event: EventEnvelope<'CheckoutInitiated'>): Promise<void> {
    const outcome = await runCheckoutStep('stock', event.payload.checkoutId, () => this.reserve(event.payload));
    await publishReaction(this.publisher, stockReservationReaction(event, outcome));
  }

  /**
   * Prices before reserving, but lets only the reservation decide on stock: on a redelivery the
   * checkout's own hold already counts against the stock an availability check would see.
   */
  private async reserve({ checkoutId, items }: CheckoutEvents['CheckoutInitiated']): Promise<StepOutcome<PricedItems>> {
    const priced = await priceItems(this.inventory, items);
    if (!priced.ok) return priced;
    const reserved = await reserveStock(this.inventory, checkoutId, items);
    return reserved.ok ? priced : reserved;
  }
}
