import { Inject, Injectable } from '@nestjs/common';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';
import { StaleSagaError, compensationInProgress, sagaNotFound } from '../saga/saga.errors.js';
import { decide } from '../saga/saga.machine.js';
import type { SagaRecord } from '../saga/saga.mapper.js';
import type { SagaOutcome } from '../saga/saga.model.js';
import { SagaRepository } from '../saga/saga.repository.js';
import { SagaRunner } from '../saga/saga.runner.js';

const FORCED: SagaOutcome = { type: 'CompensationRequested', code: 'SAGA.COMPENSATION_FORCED', reason: 'Compensation forced by an operator' };
/** A saga moving under our feet is re-read this many times before giving up. */
const RACES = 5;

/**
 * Forces the compensation of a saga and returns it once compensated (or parked again): of a
 * finished one (its order is cancelled, its payment voided, its stock released), of one still in
 * flight (it is taken over; the participants' tombstones refuse its late steps), or of one parked
 * in COMPENSATION_ECHOUEE (retried). A cancelled saga is returned as it is.
 */
@Injectable()
export class CompensateSagaHandler {
  constructor(
    private readonly repository: SagaRepository,
    private readonly runner: SagaRunner,
    @Inject(SAGA_SETTINGS) private readonly settings: SagaSettings,
  ) {}

  async execute(id: string): Promise<SagaRecord> {
    for (let race = 1; ; race += 1) {
      const saga = await this.repository.find(id);
      if (saga === undefined) throw sagaNotFound(id);
      try {
        return await this.compensate(saga);
      } catch (error) {
        if (!(error instanceof StaleSagaError) || race >= RACES) throw error;
      }
    }
  }

  private async compensate(saga: SagaRecord): Promise<SagaRecord> {
    switch (saga.state) {
      case 'SAGA_ANNULEE':
        return saga;
      case 'COMPENSATION_EN_COURS': {
        if (this.runner.isRunning(saga.id)) return this.runner.awaitTerminal(saga.id);
        const claimed = await this.repository.claim(saga, { owner: this.settings.instanceId, ms: this.settings.leaseMs });
        if (claimed === undefined) throw compensationInProgress(saga.id);
        return this.runner.drive(claimed);
      }
      default: {
        const taken = await this.runner.record(saga, decide(saga, FORCED), true);
        return this.runner.drive(taken);
      }
    }
  }
}
