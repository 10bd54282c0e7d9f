import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BackendClient } from '../backend/backend.client.js';
import type { StreamSummary } from '../backend/backend.views.js';
import { ApiKey } from '../web/signed-in.guard.js';
import { ViewRenderer } from '../web/view.renderer.js';

/** The bus as the event store sees it: each stream's length, stored events, dead letters, and each group's lag and pending. */
@Controller('bus')
export class BusController {
  constructor(
    private readonly backend: BackendClient,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  async page(@ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const streams = await this.backend.call<StreamSummary[]>(this.backend.routes.streams, apiKey);
    return this.views.page(request, reply, 'bus', { title: 'Bus', streams });
  }
}
