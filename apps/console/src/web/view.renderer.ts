import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { consoleAssets } from './console-assets.js';
import { takeFlash } from './session.js';

/** Server-rendered pages: Eta templates from `apps/console/views`, escaped by default. */
@Injectable()
export class ViewRenderer {
  private readonly eta = new Eta({ views: consoleAssets().views, cache: true, autoEscape: true });

  /** Renders `template` inside the layout, with the CSRF token for its forms and the last action's result. */
  page(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status = 200): FastifyReply {
    const html = this.eta.render(template, {
      ...data,
      csrf: reply.generateCsrf(),
      flash: takeFlash(request),
      signedIn: request.session.apiKey !== undefined,
      path: request.url.split('?')[0],
    });
    return reply.status(status).type('text/html; charset=utf-8').send(html);
  }

  /** A fragment (htmx swaps it into a page): no layout. */
  fragment(reply: FastifyReply, template: string, data: Record<string, unknown>): FastifyReply {
    return reply.type('text/html; charset=utf-8').send(this.eta.render(template, data));
  }
}
