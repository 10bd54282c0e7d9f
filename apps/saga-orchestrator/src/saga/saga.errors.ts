import { ConflictError, NotFoundError, RuleViolationError } from '@app/contracts';

/** Another process advanced or took over the saga since it was read: this writer must stop. */
export class StaleSagaError extends Error {
  constructor(
    readonly sagaId: string,
    readonly version: number,
  ) {
    super(`Saga ${sagaId} is no longer at version ${version}`);
    this.name = 'StaleSagaError';
  }
}

export const sagaNotFound = (sagaId: string): NotFoundError => new NotFoundError('SAGA.NOT_FOUND', `No saga ${sagaId}`, { sagaId });

export const compensationInProgress = (sagaId: string): ConflictError =>
  new ConflictError('SAGA.COMPENSATION_IN_PROGRESS', `Saga ${sagaId} is being compensated by another orchestrator instance`, { sagaId });

export const idempotencyKeyReused = (key: string, sagaId: string): RuleViolationError =>
  new RuleViolationError('SAGA.IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was used for a different checkout (saga ${sagaId})`, { sagaId });
