import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CheckoutIdParam, type Reservation } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { ConfirmReservationHandler } from './confirm-reservation.handler.js';

@Controller('inventory/reservations')
@UseGuards(FaultInjectionGuard)
export class ConfirmReservationController {
  constructor(private readonly handler: ConfirmReservationHandler) {}

  @Post(':checkoutId/confirm')
  @HttpCode(200)
  confirm(@Param() { checkoutId }: CheckoutIdParam): Promise<Reservation> {
    return this.handler.execute(checkoutId);
  }
}
