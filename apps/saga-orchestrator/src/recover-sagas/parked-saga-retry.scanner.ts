import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CompensateSagaHandler } from '../compensate-saga/compensate-saga.handler.js';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';
import { SagaRepository } from '../saga/saga.repository.js';
import { inResumeSpan } from '../saga/saga.spans.js';

/** Parked sagas looked at per sweep; the next sweep takes the rest. */
const BATCH = 50;

/**
 * Tries again, on its own, the compensations that were parked in COMPENSATION_ECHOUEE because a
 * participant stayed away longer than the retries: `parkedRetryMs` after a saga was parked, it is
 * compensated again exactly as an operator's `POST /api/saga/:id/compensate` would (compensations
 * are idempotent), so an outage ends with every saga settled once the participant is back. The
 * retry is part of the checkout's trace, as the saga's first run was.
 */
@Injectable()
export class ParkedSagaRetryScanner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ParkedSagaRetryScanner.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly repository: SagaRepository,
    private readonly compensations: CompensateSagaHandler,
    @Inject(SAGA_SETTINGS) private readonly settings: SagaSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.parkedRetryMs <= 0) return;
    this.timer = setInterval(() => void this.sweep(), Math.max(1_000, this.settings.parkedRetryMs / 2));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Compensates again the sagas parked for longer than `parkedRetryMs`; resolves when they settled again. */
  sweep(): Promise<void> {
    this.sweeping ??= this.retryParked()
      .catch((error: unknown) => this.logger.error(`Retrying parked sagas failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async retryParked(): Promise<void> {
    const due = Date.now() - this.settings.parkedRetryMs;
    const parked = (await this.repository.list({ state: 'COMPENSATION_ECHOUEE', limit: BATCH })).filter((saga) => saga.stateEnteredAt.getTime() <= due);
    if (parked.length > 0) this.logger.warn(`Compensating again ${parked.length} parked saga(s)`);
    await Promise.all(
      parked.map((saga) =>
        inResumeSpan(saga, 'parked-retry', () => this.compensations.execute(saga.id)).catch((error: unknown) =>
          this.logger.warn(`Saga ${saga.id} is still parked: ${error instanceof Error ? error.message : String(error)}`),
        ),
      ),
    );
  }
}
