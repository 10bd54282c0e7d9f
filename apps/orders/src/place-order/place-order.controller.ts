import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { Order } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { PlaceOrderDto } from './place-order.dto.js';
import { PlaceOrderHandler } from './place-order.handler.js';

@Controller('orders')
@UseGuards(FaultInjectionGuard)
export class PlaceOrderController {
  constructor(private readonly handler: PlaceOrderHandler) {}

  /** 201 with the PENDING order; 422 over the limit; 409 if the checkout was already cancelled. */
  @Post()
  @HttpCode(201)
  place(@Body() body: PlaceOrderDto): Promise<Order> {
    return this.handler.execute(body);
  }
}
