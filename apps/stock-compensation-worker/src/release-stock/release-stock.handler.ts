import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InventoryClient, compensationSpan, releaseStock } from '@app/checkout-steps';
import { redeliverIfUnavailable, stockCompensationReaction, publishReaction } from '@app/choreography';
import type { EventEnvelope } from '@app/contracts';
import { EventBus } from '@app/bus';
import { OnEvent } from '@app/redis-streams';

/** Compensation of step 2 once the order is refused or cancelled: the stock goes back, the checkout has failed. */
@Controller()
export class ReleaseStockHandler {
  constructor(
    private readonly inventory: InventoryClient,
    private readonly publisher: EventBus,
  ) {}

  @OnEvent('OrderCreationFailed')
  afterRefusedOrder(@Payload() event: EventEnvelope<'OrderCreationFailed'>): Promise<void> {
    return this.release(event);
  }

  @OnEvent('OrderCancelled')
  afterCancelledOrder(@Payload() event: EventEnvelope<'OrderCancelled'>): Promise<void> {
    return this.release(event);
  }

  private async release(event: EventEnvelope<'OrderCreationFailed'> | EventEnvelope<'OrderCancelled'>): Promise<void> {
    await redeliverIfUnavailable(() => compensationSpan('releaseStock', event.payload.checkoutId, () => releaseStock(this.inventory, event.payload.checkoutId)));
    await publishReaction(this.publisher, stockCompensationReaction(event));
  }
}
