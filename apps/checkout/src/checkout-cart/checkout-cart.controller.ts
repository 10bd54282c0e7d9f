import { Body, Controller, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IdParam } from '@app/contracts';
import { statusLocationOf } from '../start-checkout/start-checkout.controller.js';
import { CheckoutCartDto, CheckoutCartQuery } from './checkout-cart.dto.js';
import { CheckoutCartHandler } from './checkout-cart.handler.js';
import { OrchestratorUnavailableFilter } from './orchestrator-unavailable.filter.js';
import { CorrelatedEntry } from '@app/http-app';

@Controller('carts')
@UseFilters(OrchestratorUnavailableFilter)
export class CheckoutCartController {
  constructor(private readonly handler: CheckoutCartHandler) {}

  /**
   * `?mode=choreographed`: 202 `{ checkoutId, status: "PENDING" }` with a Location, as
   * `POST /checkout/choreo`. `?mode=orchestrated`: the orchestrator's answer, 201 or 409, with the
   * checkoutId and sagaId. A repeated checkout answers with the same checkout; 404 unknown cart,
   * 422 empty cart, 409 checked out in the other style, 503 orchestrator unreachable.
   */
  @CorrelatedEntry()
  @Post(':id/checkout')
  async checkout(
    @Param() { id }: IdParam,
    @Query() { mode }: CheckoutCartQuery,
    @Body() { payment }: CheckoutCartDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const answer = await this.handler.execute(id, mode, payment.token);
    void reply.status(answer.status);
    if (answer.checkoutId !== undefined) void reply.header('location', statusLocationOf(answer.checkoutId));
    return answer.body;
  }
}
