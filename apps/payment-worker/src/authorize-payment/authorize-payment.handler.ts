import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { PaymentsClient, authorizePayment } from '@app/checkout-steps';
import { paymentReaction, runCheckoutStep } from '@app/choreography';
import type { EventEnvelope } from '@app/contracts';
import { EventBus } from '@app/bus';
import { OnEvent } from '@app/redis-streams';

/** Step 4 of the checkout: the order's total authorized on the card. */
@Controller()
export class AuthorizePaymentHandler {
  constructor(
    private readonly payments: PaymentsClient,
    private readonly publisher: EventBus,
  ) {}

  @OnEvent('OrderCreated')
  async handle(@Payload() event: EventEnvelope<'OrderCreated'>): Promise<void> {
    const { checkoutId, totalCents, paymentToken } = event.payload;
    const outcome = await runCheckoutStep('payment', checkoutId, () => authorizePayment(this.payments, { checkoutId, amountCents: totalCents, token: paymentToken }));
    await this.publisher.publishMany(paymentReaction(event, outcome));
  }
}
