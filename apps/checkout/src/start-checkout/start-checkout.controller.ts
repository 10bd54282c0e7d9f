import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CheckoutRequestDto } from '@app/contracts';
import { CorrelatedEntry, IdempotencyKey } from '@app/http-app';
import { StartCheckoutHandler } from './start-checkout.handler.js';

/** Where the status of a checkout is read. */
export const statusLocationOf = (checkoutId: string): string => `/checkout/${encodeURIComponent(checkoutId)}`;

@Controller('checkout')
export class StartCheckoutController {
  constructor(private readonly handler: StartCheckoutHandler) {}

  /**
   * 202 `{ checkoutId, status: "PENDING" }` with a Location to its status, once the checkout and its
   * CheckoutInitiated are recorded. `Idempotency-Key` makes a retry return the first checkout.
   */
  @CorrelatedEntry()
  @Post('choreo')
  @HttpCode(202)
  async start(
    @Body() body: CheckoutRequestDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ checkoutId: string; status: 'PENDING' }> {
    const { checkoutId } = await this.handler.execute(body, idempotencyKey);
    void reply.header('location', statusLocationOf(checkoutId));
    return { checkoutId, status: 'PENDING' };
  }
}
