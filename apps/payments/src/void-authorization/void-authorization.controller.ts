import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { type Authorization, CheckoutIdParam } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { VoidAuthorizationHandler } from './void-authorization.handler.js';

@Controller('payments/authorizations')
@UseGuards(FaultInjectionGuard)
export class VoidAuthorizationController {
  constructor(private readonly handler: VoidAuthorizationHandler) {}

  @Post(':checkoutId/void')
  @HttpCode(200)
  void(@Param() { checkoutId }: CheckoutIdParam): Promise<Authorization> {
    return this.handler.execute(checkoutId);
  }
}
