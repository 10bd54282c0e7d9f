import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CheckoutIdParam, type Order } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { OrderIdParam } from '../order/order-id.dto.js';
import type { CancelledCheckout } from '../order/order.mapper.js';
import { CancelCheckoutDto } from './cancel-order.dto.js';
import { CancelOrderHandler } from './cancel-order.handler.js';

@Controller('orders')
@UseGuards(FaultInjectionGuard)
export class CancelOrderController {
  constructor(private readonly handler: CancelOrderHandler) {}

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param() { id }: OrderIdParam): Promise<Order> {
    return this.handler.byId(id);
  }

  /**
   * For a caller that lost the create's answer and so has no orderId. `{ "unlessConfirmed": true }`
   * refuses a CONFIRMED order with 409 `ORDERS.ORDER_CONFIRMED` instead of cancelling it.
   */
  @Post('by-checkout/:checkoutId/cancel')
  @HttpCode(200)
  cancelCheckout(@Param() { checkoutId }: CheckoutIdParam, @Body() { unlessConfirmed }: CancelCheckoutDto): Promise<Order | CancelledCheckout> {
    return this.handler.byCheckout(checkoutId, { unlessConfirmed });
  }
}
