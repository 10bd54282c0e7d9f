import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OrdersClient, cancelOrder } from '@app/checkout-steps';
import { orderCompensationReaction, redeliverIfUnavailable, publishReaction } from '@app/choreography';
import type { EventEnvelope } from '@app/contracts';
import { EventPublisher, OnEvent } from '@app/redis-streams';

/** Compensation of step 3 after a refused payment: the order is cancelled. */
@Controller()
export class CancelOrderHandler {
  constructor(
    private readonly orders: OrdersClient,
    private readonly publisher: EventPublisher,
  ) {}

  @OnEvent('PaymentFailed')
  async handle(@Payload() event: EventEnvelope<'PaymentFailed'>): Promise<void> {
    await redeliverIfUnavailable(() => cancelOrder(this.orders, event.payload.checkoutId));
    await publishReaction(this.publisher, orderCompensationReaction(event));
  }
}
