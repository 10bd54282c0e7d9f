import { Controller, Get, Param, Query } from '@nestjs/common';
import { sagaNotFound } from '../saga/saga.errors.js';
import { SagaRepository } from '../saga/saga.repository.js';
import { ListSagasQuery, SagaIdParam } from './saga-queries.dto.js';
import { type SagaStatusView, sagaStatusOf, sagaSummaryOf } from './saga-view.mapper.js';

/** Read side: sagas as they are now, and how they got there. */
@Controller('api/saga')
export class SagaQueriesController {
  constructor(private readonly repository: SagaRepository) {}

  /** Newest first; `nextCursor` is null on the last page. Parked sagas: `?state=COMPENSATION_ECHOUEE`. */
  @Get('list')
  async list(@Query() { state, limit, cursor }: ListSagasQuery) {
    const sagas = await this.repository.list({ limit: limit + 1, ...(state !== undefined && { state }), ...(cursor !== undefined && { before: cursor }) });
    const page = sagas.slice(0, limit);
    return { items: page.map(sagaSummaryOf), nextCursor: sagas.length > limit ? (page.at(-1)?.seq ?? null) : null };
  }

  @Get(':id/status')
  async status(@Param() { id }: SagaIdParam): Promise<SagaStatusView> {
    const saga = await this.repository.find(id);
    if (saga === undefined) throw sagaNotFound(id);
    return sagaStatusOf(saga, await this.repository.history(id));
  }
}
