import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BackendClient, BackendError } from '../backend/backend.client.js';
import type { BackendRoute } from '../backend/backend.routes.js';
import type { Product } from '../backend/backend.views.js';
import { ApiKey } from '../web/signed-in.guard.js';
import { ViewRenderer } from '../web/view.renderer.js';
import { PAYMENT_TOKENS, START_STYLES, StartCheckoutForm, basketOf } from './start-checkout.form.js';

/** Starts a checkout of either style (or one of each on the same basket) from the catalogue, then follows it. */
@Controller('checkouts')
export class StartCheckoutController {
  constructor(
    private readonly backend: BackendClient,
    private readonly views: ViewRenderer,
  ) {}

  @Get('new')
  async form(@ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const products = await this.backend.call<Product[]>(this.backend.routes.catalogue, apiKey);
    return this.views.page(request, reply, 'start-checkout', {
      title: 'Start a checkout',
      products,
      tokens: PAYMENT_TOKENS,
      styles: START_STYLES,
      requestId: randomUUID(),
    });
  }

  @Post()
  async start(@Body() form: StartCheckoutForm, @ApiKey() apiKey: string, @Res() reply: FastifyReply) {
    const items = basketOf(form);
    if (items.length === 0) throw new BadRequestException({ statusCode: 400, code: 'CONSOLE.EMPTY_BASKET', message: 'quantity: choose at least one item' });
    const order = { clientId: form.clientId, items, payment: { token: form.token } };
    const { routes } = this.backend;
    const start = async (route: BackendRoute, style: 'orchestrated' | 'choreographed') => {
      const { status, body } = await this.backend.send(route, apiKey, order, { 'Idempotency-Key': `${form.requestId}-${style}` });
      // 409 is an orchestrated checkout that failed and was compensated: an outcome to look at, like a 201.
      const id = (body as { sagaId?: string; checkoutId?: string } | undefined)?.[style === 'orchestrated' ? 'sagaId' : 'checkoutId'];
      if ((status < 300 || status === 409) && typeof id === 'string') return { style, id };
      throw new BackendError(status, route, body);
    };
    if (form.style === 'both') {
      const [a, b] = await Promise.all([start(routes.startOrchestrated, 'orchestrated'), start(routes.startChoreographed, 'choreographed')]);
      return reply.redirect(`/compare?a=${encodeURIComponent(`${a.style}:${a.id}`)}&b=${encodeURIComponent(`${b.style}:${b.id}`)}`, 303);
    }
    const { style, id } = await start(form.style === 'orchestrated' ? routes.startOrchestrated : routes.startChoreographed, form.style);
    return reply.redirect(`/checkouts/${style}/${encodeURIComponent(id)}`, 303);
  }
}
