import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { Authorization } from '@app/contracts';
import { FaultInjectionGuard } from '@app/http-app';
import { AuthorizePaymentDto } from './authorize-payment.dto.js';
import { AuthorizePaymentHandler } from './authorize-payment.handler.js';

@Controller('payments/authorizations')
@UseGuards(FaultInjectionGuard)
export class AuthorizePaymentController {
  constructor(private readonly handler: AuthorizePaymentHandler) {}

  /** 201 with the authorization; 402 with the declined authorization; 409 if already voided. */
  @Post()
  @HttpCode(201)
  authorize(@Body() body: AuthorizePaymentDto): Promise<Authorization> {
    return this.handler.execute(body);
  }
}
