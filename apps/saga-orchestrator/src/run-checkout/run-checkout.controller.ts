import { Body, Controller, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CheckoutRequestDto } from '@app/contracts';
import { CorrelatedEntry, IdempotencyKey } from '@app/http-app';
import { checkoutAnswerOf } from './checkout-answer.mapper.js';
import { RunCheckoutHandler } from './run-checkout.handler.js';

@Controller('api/saga')
export class RunCheckoutController {
  constructor(private readonly handler: RunCheckoutHandler) {}

  /**
   * 201 with the order when the saga ends in SAGA_TERMINEE; 409 with the failed step, code and
   * reason once compensated (503 instead when a participant refused `INTERNAL_API_KEY`); 400 for bad input. `Idempotency-Key` makes a retry return the first
   * saga (202 if it is still running elsewhere).
   */
  @CorrelatedEntry()
  @Post('checkout')
  async checkout(
    @Body() body: CheckoutRequestDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const saga = await this.handler.execute(body, idempotencyKey);
    const answer = checkoutAnswerOf(saga);
    void reply.status(answer.status);
    if (answer.status === 202) void reply.header('location', `/api/saga/${saga.id}/status`);
    return answer.body;
  }
}
