import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { SagaIdParam } from '../query-sagas/saga-queries.dto.js';
import { type SagaStatusView, sagaStatusOf } from '../query-sagas/saga-view.mapper.js';
import { SagaRepository } from '../saga/saga.repository.js';
import { CompensateSagaHandler } from './compensate-saga.handler.js';

@Controller('api/saga')
export class CompensateSagaController {
  constructor(
    private readonly handler: CompensateSagaHandler,
    private readonly repository: SagaRepository,
  ) {}

  /** 200 with the saga once compensated (SAGA_ANNULEE) or parked again (COMPENSATION_ECHOUEE); 404 unknown; 409 compensated elsewhere right now. */
  @Post(':id/compensate')
  @HttpCode(200)
  async compensate(@Param() { id }: SagaIdParam): Promise<SagaStatusView> {
    const saga = await this.handler.execute(id);
    return sagaStatusOf(saga, await this.repository.history(id));
  }
}
