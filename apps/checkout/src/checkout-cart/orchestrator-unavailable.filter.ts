import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SagaOrchestratorUnavailableError } from './saga-orchestrator.client.js';

/** 503 `SAGA.UNAVAILABLE` naming the call, for every route that needs the orchestrator: retry later, nothing was changed here. */
@Catch(SagaOrchestratorUnavailableError)
export class OrchestratorUnavailableFilter implements ExceptionFilter<SagaOrchestratorUnavailableError> {
  catch(error: SagaOrchestratorUnavailableError, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(503).send({ statusCode: 503, code: error.code, message: error.message });
  }
}
