import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InventoryClient, OrdersClient, PaymentsClient, confirmOrder, runPlan } from '@app/checkout-steps';
import { compensationsBeforeStockRelease, orderConfirmationReaction, publishReaction, runCheckoutStep } from '@app/choreography';
import type { CheckoutEvents, EventEnvelope } from '@app/contracts';
import { EventBus } from '@app/bus';
import { OnEvent } from '@app/redis-streams';

/** Step 5 of the checkout: the reservation becomes a sale and the order is confirmed. */
@Controller()
export class ConfirmOrderHandler {
  constructor(
    readonly inventory: InventoryClient,
    readonly orders: OrdersClient,
    readonly payments: PaymentsClient,
    private readonly publisher: EventBus,
  ) {}

  @OnEvent('PaymentAuthorized')
  async handle(@Payload() event: EventEnvelope<'PaymentAuthorized'>): Promise<void> {
    const outcome = await runCheckoutStep('confirmation', event.payload.checkoutId, () => this.confirm(event.payload));
    await publishReaction(this.publisher, orderConfirmationReaction(event, outcome));
  }

  private async confirm({ checkoutId, orderId }: CheckoutEvents['PaymentAuthorized']) {
    const outcome = await confirmOrder({ inventory: this.inventory, orders: this.orders }, { checkoutId, orderId });
    if (!outcome.ok) {
      // A compensation (the checkout's deadline) got there first: nobody downstream would undo the
      // authorization, and the OrderCancelled published next must be true. All idempotent.
      await runPlan(this, compensationsBeforeStockRelease('confirmOrder'), checkoutId);
    }
    return outcome;
  }
}
