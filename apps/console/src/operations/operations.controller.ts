import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BackendClient, BackendError } from '../backend/backend.client.js';
import type { BackendRoute } from '../backend/backend.routes.js';
import type { DeadLetter, SagaSummary, StuckCheckout } from '../backend/backend.views.js';
import { flash } from '../web/session.js';
import { ApiKey } from '../web/signed-in.guard.js';
import { ViewRenderer } from '../web/view.renderer.js';
import { CheckoutParam, DeadLetterParam, OperationsQuery, SagaParam, StreamParam } from './operations.params.js';

const PAGE = 20;

/** A list, or the back end's refusal to give it: one failing app does not blank the whole page. */
type Section<T> = { ok: true; value: T } | { ok: false; error: string };

async function section<T>(read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (error instanceof BackendError) return { ok: false, error: error.message };
    throw error;
  }
}

/** What an operator acts on: parked sagas (retry), stuck checkouts (compensate), dead letters (redrive one or all). */
@Controller('operations')
export class OperationsController {
  constructor(
    private readonly backend: BackendClient,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  async page(@Query() { parkedCursor, deadAfter }: OperationsQuery, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { routes } = this.backend;
    const [parked, stuck, deadLetters] = await Promise.all([
      section(() =>
        this.backend.call<{ items: SagaSummary[]; nextCursor: string | null }>(routes.sagaList('COMPENSATION_ECHOUEE', parkedCursor, PAGE), apiKey),
      ),
      section(() => this.backend.call<{ items: StuckCheckout[] }>(routes.stuckCheckouts, apiKey)),
      section(() => this.backend.call<{ deadLetters: DeadLetter[]; next: string | null }>(routes.deadLetters(deadAfter, PAGE), apiKey)),
    ]);
    return this.views.page(request, reply, 'operations', { title: 'Operations', parked, stuck, deadLetters, parkedCursor, deadAfter });
  }

  @Post('sagas/:id/retry')
  retry(@Param() { id }: SagaParam, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.act(this.backend.routes.sagaCompensate(id), `Retry of saga ${id}`, apiKey, request, reply);
  }

  @Post('checkouts/:id/compensate')
  compensate(@Param() { id }: CheckoutParam, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.act(this.backend.routes.checkoutCompensate(id), `Compensation of checkout ${id}`, apiKey, request, reply);
  }

  @Post('dead-letters/:stream/:id/redrive')
  redriveOne(@Param() { stream, id }: DeadLetterParam, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.act(this.backend.routes.redriveOne(stream, id), `Redrive of ${id}`, apiKey, request, reply);
  }

  @Post('dead-letters/:stream/redrive')
  redriveAll(@Param() { stream }: StreamParam, @ApiKey() apiKey: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.act(this.backend.routes.redriveAll(stream), `Redrive of every dead letter of ${stream}`, apiKey, request, reply);
  }

  /** Calls the app, puts its answer (state reached, or refusal in its own words) on the page it returns to. */
  private async act(route: BackendRoute, what: string, apiKey: string, request: FastifyRequest, reply: FastifyReply) {
    const { status, body } = await this.backend.send(route, apiKey);
    flash(
      request,
      status < 300 ? { ok: true, text: `${what}: ${resultOf(body)}` } : { ok: false, text: `${what} refused (${status}): ${BackendError.describe(body)}` },
    );
    return reply.redirect('/operations', 303);
  }
}

/** The outcome an app reports: a saga's state, a checkout's status, how many letters moved, a redriven id. */
function resultOf(body: unknown): string {
  const { state, status, redriven, redrivenAs } = (body ?? {}) as { state?: string; status?: string; redriven?: number; redrivenAs?: string };
  if (state !== undefined) return state;
  if (status !== undefined) return status;
  if (redriven !== undefined) return `${redriven} redriven`;
  if (redrivenAs !== undefined) return `back on the stream as ${redrivenAs}`;
  return 'done';
}
