import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKey } from '../web/signed-in.guard.js';
import { ViewRenderer } from '../web/view.renderer.js';
import { CheckoutDetailReader } from '../view-checkout/checkout-detail.reader.js';
import type { CheckoutStyle } from '../view-checkout/checkout.params.js';

const REF = /^(orchestrated|choreographed):[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const REF_MESSAGE = (name: string) => `${name} must be orchestrated:<sagaId> or choreographed:<checkoutId>`;

class CompareQuery {
  @IsOptional() @Matches(REF, { message: REF_MESSAGE('a') }) a?: string;
  @IsOptional() @Matches(REF, { message: REF_MESSAGE('b') }) b?: string;
}

const split = (ref: string): { style: CheckoutStyle; id: string } => {
  const at = ref.indexOf(':');
  return { style: ref.slice(0, at) as CheckoutStyle, id: ref.slice(at + 1) };
};

/** Two checkouts on one time axis, each from its own first event: where each style spends its time. */
@Controller('compare')
export class CompareController {
  constructor(
    private readonly reader: CheckoutDetailReader,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  async page(@Query() { a, b }: CompareQuery, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const refs = [a, b].filter((ref) => ref !== undefined).map(split);
    const details = await Promise.all(refs.map(({ style, id }) => this.reader.read(style, id, apiKey)));
    return this.views.page(request, reply, 'compare', { title: 'Compare', a: a ?? '', b: b ?? '', details, final: details.every((d) => d.final) });
  }
}
