import { Controller, HttpCode, Param, Post, ServiceUnavailableException } from '@nestjs/common';
import { TransientStepError } from '@app/checkout-steps';
import { CheckoutIdParam } from '@app/contracts';
import { CompensateCheckoutHandler } from './compensate-checkout.handler.js';
import { orderConfirmed } from './compensation.errors.js';
import type { CompensationRecord } from './watched-checkout.mapper.js';

@Controller('checkout')
export class CompensateCheckoutController {
  constructor(private readonly handler: CompensateCheckoutHandler) {}

  /**
   * Compensates a stuck choreographed checkout now: 200 with what was done (the same on a repeat);
   * 409 `ORDERS.ORDER_CONFIRMED` when its order is confirmed (it succeeded: nothing is undone), 409
   * `CHECKOUT.ALREADY_ENDED` when it ended, 404 unknown, 503 when a participant stays unreachable.
   */
  @Post(':checkoutId/compensate')
  @HttpCode(200)
  async compensate(
    @Param() { checkoutId }: CheckoutIdParam,
  ): Promise<{ checkoutId: string; status: 'COMPENSATED'; compensatedAt: string } & CompensationRecord> {
    try {
      const result = await this.handler.execute(checkoutId);
      if (result.outcome === 'refused') throw orderConfirmed(checkoutId, result.reason);
      return { checkoutId, status: 'COMPENSATED', compensatedAt: result.compensatedAt.toISOString(), ...result.compensation };
    } catch (error) {
      if (error instanceof TransientStepError) throw new ServiceUnavailableException({ statusCode: 503, code: error.code, message: error.message });
      throw error;
    }
  }
}
