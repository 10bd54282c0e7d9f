import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OrdersClient, createOrder } from '@app/checkout-steps';
import { orderCreationReaction, runCheckoutStep } from '@app/choreography';
import type { EventEnvelope } from '@app/contracts';
import { EventBus } from '@app/bus';
import { OnEvent } from '@app/redis-streams';

/** Step 3 of the checkout: the PENDING order, at the prices of the reservation. */
@Controller()
export class CreateOrderHandler {
  constructor(
    private readonly orders: OrdersClient,
    private readonly publisher: EventBus,
  ) {}

  @OnEvent('StockReserved')
  async handle(@Payload() event: EventEnvelope<'StockReserved'>): Promise<void> {
    const { checkoutId, clientId, items } = event.payload;
    const outcome = await runCheckoutStep('order', checkoutId, () => createOrder(this.orders, { checkoutId, clientId, items }));
    await this.publisher.publishMany(orderCreationReaction(event, outcome));
  }
}
