import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BackendClient, BackendError } from '../backend/backend.client.js';
import type { StreamSummary } from '../backend/backend.views.js';
import { ApiKey } from '../web/signed-in.guard.js';
import { ViewRenderer } from '../web/view.renderer.js';
import { SAMPLE_INTERVAL_MS, OverviewSampler } from './overview.sampler.js';
import { overviewStats } from './overview.stats.js';

/** Both styles side by side, live: the page polls `/overview/data` as often as the sampler scrapes while it is watched. */
@Controller()
export class OverviewController {
  constructor(
    private readonly sampler: OverviewSampler,
    private readonly backend: BackendClient,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.sampler.watch();
    return this.views.page(request, reply, 'overview', { title: 'Overview', refreshMs: SAMPLE_INTERVAL_MS });
  }

  /** The metrics' view of both styles, and the bus as the event store reports it (or why it could not). */
  @Get('overview/data')
  async data(@ApiKey() apiKey: string) {
    this.sampler.watch();
    let streams: StreamSummary[] = [];
    let busError: string | undefined;
    try {
      streams = await this.backend.call<StreamSummary[]>(this.backend.routes.streams, apiKey);
    } catch (error) {
      if (!(error instanceof BackendError)) throw error;
      busError = error.message;
    }
    return { at: Date.now(), styles: overviewStats(this.sampler.history()), streams, ...(busError !== undefined && { busError }) };
  }
}
