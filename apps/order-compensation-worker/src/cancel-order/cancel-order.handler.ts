import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InventoryClient, OrdersClient, PaymentsClient, runPlan } from '@app/checkout-steps';
import { compensationsBeforeStockRelease, orderCompensationReaction, publishReaction, redeliverIfUnavailable } from '@app/choreography';
import type { EventEnvelope } from '@app/contracts';
import { EventBus } from '@app/bus';
import { OnEvent } from '@app/redis-streams';

/** After a refused payment, what the plan undoes before the stock: the order is cancelled. */
@Controller()
export class CancelOrderHandler {
  constructor(
    readonly inventory: InventoryClient,
    readonly orders: OrdersClient,
    readonly payments: PaymentsClient,
    private readonly publisher: EventBus,
  ) {}

  @OnEvent('PaymentFailed')
  async handle(@Payload() event: EventEnvelope<'PaymentFailed'>): Promise<void> {
    await redeliverIfUnavailable(() => runPlan(this, compensationsBeforeStockRelease('authorizePayment'), event.payload.checkoutId));
    await publishReaction(this.publisher, orderCompensationReaction(event));
  }
}
