import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { Order } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { OrderIdParam } from '../order/order-id.dto.js';
import { ConfirmOrderHandler } from './confirm-order.handler.js';

@Controller('orders')
@UseGuards(FaultInjectionGuard)
export class ConfirmOrderController {
  constructor(private readonly handler: ConfirmOrderHandler) {}

  @Post(':id/confirm')
  @HttpCode(200)
  confirm(@Param() { id }: OrderIdParam): Promise<Order> {
    return this.handler.execute(id);
  }
}
