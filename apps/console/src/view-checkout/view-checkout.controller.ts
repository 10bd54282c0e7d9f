import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BackendClient, BackendError } from '../backend/backend.client.js';
import { flash } from '../web/session.js';
import { ApiKey } from '../web/signed-in.guard.js';
import { ViewRenderer } from '../web/view.renderer.js';
import { CheckoutDetailReader } from './checkout-detail.reader.js';
import { CheckoutParams } from './checkout.params.js';

/** One checkout: status, Gantt of its steps and compensations, its state machine path or its chain of events. */
@Controller('checkouts')
export class ViewCheckoutController {
  constructor(
    private readonly reader: CheckoutDetailReader,
    private readonly backend: BackendClient,
    private readonly views: ViewRenderer,
  ) {}

  @Get(':style/:id')
  async page(@Param() { style, id }: CheckoutParams, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const detail = await this.reader.read(style, id, apiKey);
    return this.views.page(request, reply, 'checkout', { title: `Checkout ${id}`, detail });
  }

  /** The part of the page that changes while the checkout runs; the page polls it until it is final. */
  @Get(':style/:id/detail')
  async detail(@Param() { style, id }: CheckoutParams, @ApiKey() apiKey: string, @Res() reply: FastifyReply) {
    return this.views.fragment(reply, 'checkout-detail', { detail: await this.reader.read(style, id, apiKey) });
  }

  /** Forces compensation: of an orchestrated saga (even a finished one), or of a stuck choreographed checkout. */
  @Post(':style/:id/compensate')
  async compensate(@Param() { style, id }: CheckoutParams, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { routes } = this.backend;
    const route = style === 'orchestrated' ? routes.sagaCompensate(id) : routes.checkoutCompensate(id);
    const { status, body } = await this.backend.send(route, apiKey);
    const state = (body as { state?: string; status?: string } | undefined)?.state ?? (body as { status?: string } | undefined)?.status;
    flash(
      request,
      status < 300
        ? { ok: true, text: `Compensation of ${id}: ${state ?? 'done'}` }
        : { ok: false, text: `Compensation of ${id} refused (${status}): ${BackendError.describe(body)}` },
    );
    return reply.redirect(`/checkouts/${style}/${encodeURIComponent(id)}`, 303);
  }
}
