import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { Order } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { OrderIdParam } from '../order/order-id.dto.js';
import { RefundOrderHandler } from './refund-order.handler.js';

@Controller('orders')
@UseGuards(FaultInjectionGuard)
export class RefundOrderController {
  constructor(private readonly handler: RefundOrderHandler) {}

  @Post(':id/refund')
  @HttpCode(200)
  refund(@Param() { id }: OrderIdParam): Promise<Order> {
    return this.handler.execute(id);
  }
}
