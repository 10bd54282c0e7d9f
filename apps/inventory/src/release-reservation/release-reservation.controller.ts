import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CheckoutIdParam, type Reservation } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { ReleaseReservationHandler } from './release-reservation.handler.js';

@Controller('inventory/reservations')
@UseGuards(FaultInjectionGuard)
export class ReleaseReservationController {
  constructor(private readonly handler: ReleaseReservationHandler) {}

  @Post(':checkoutId/release')
  @HttpCode(200)
  release(@Param() { checkoutId }: CheckoutIdParam): Promise<Reservation> {
    return this.handler.execute(checkoutId);
  }
}
