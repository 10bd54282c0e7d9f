import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { Reservation } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { ReserveStockDto } from './reserve-stock.dto.js';
import { ReserveStockHandler } from './reserve-stock.handler.js';

@Controller('inventory/reservations')
@UseGuards(FaultInjectionGuard)
export class ReserveStockController {
  constructor(private readonly handler: ReserveStockHandler) {}

  /** 201 with the reservation; 404 for unknown SKUs; 409 naming each short SKU. */
  @Post()
  @HttpCode(201)
  reserve(@Body() body: ReserveStockDto): Promise<Reservation> {
    return this.handler.execute(body.checkoutId, body.items);
  }
}
