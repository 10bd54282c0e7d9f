import { Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CheckoutIdParam } from '@app/contracts';
import { DeadlineWorkerClient } from './deadline-worker.client.js';

@Controller('checkout')
export class CompensateCheckoutController {
  constructor(private readonly deadline: DeadlineWorkerClient) {}

  /**
   * Compensates a stuck choreographed checkout now, by the checkout-deadline worker: 200 with what
   * was done (the same on a repeat); 409 `ORDERS.ORDER_CONFIRMED` when its order is confirmed, 409
   * `CHECKOUT.ALREADY_ENDED` when it ended, 404 unknown, 503 when a participant stays unreachable.
   */
  @Post(':checkoutId/compensate')
  @HttpCode(200)
  async compensate(@Param() { checkoutId }: CheckoutIdParam, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const answer = await this.deadline.forward('POST', `/checkout/${encodeURIComponent(checkoutId)}/compensate`);
    void reply.status(answer.status);
    return answer.body;
  }
}
