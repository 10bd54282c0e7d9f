import { Controller, Get } from '@nestjs/common';
import { type StuckCheckout, StuckCheckoutRepository } from './stuck-checkout.repository.js';

const LIST_LIMIT = 500;

@Controller('checkout')
export class StuckCheckoutsController {
  constructor(private readonly repository: StuckCheckoutRepository) {}

  /**
   * The choreographed checkouts past CHECKOUT_DEADLINE_MS with no terminal event, oldest first, as
   * the last scan found them: id, age, the last event this worker consumed. A compensated checkout
   * leaves the list; one whose order is confirmed stays, marked `compensationRefused`.
   */
  @Get('stuck')
  async stuck(): Promise<{ items: StuckCheckout[] }> {
    return { items: await this.repository.listStuck(LIST_LIMIT) };
  }
}
