import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';
import { SagaRepository } from '../saga/saga.repository.js';
import { SagaRunner } from '../saga/saga.runner.js';

/**
 * Crash recovery: at start and then periodically, claims the running sagas whose lease expired
 * (their instance died, or this process was restarted) and resumes them: forward with the step
 * that was in flight, or compensating once past their deadline (see `overdueOutcome`). Claims skip
 * rows another instance is claiming, and each claim bumps the version, so a saga is never run by
 * two instances at once and a stale writer cannot advance it.
 */
@Injectable()
export class SagaRecoveryScanner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SagaRecoveryScanner.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private resuming = 0;

  constructor(
    private readonly repository: SagaRepository,
    private readonly runner: SagaRunner,
    @Inject(SAGA_SETTINGS) private readonly settings: SagaSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep();
    this.timer = setInterval(() => this.sweep(), this.settings.recoveryIntervalMs);
  }

  /** Stops claiming; sagas already resumed are drained with the others at shutdown. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Claims and resumes what it can now (at most `maxResuming` at once). */
  sweep(): void {
    this.sweeping ??= this.claimAndResume()
      .catch((error: unknown) => this.logger.error(`Saga recovery failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.sweeping = undefined));
  }

  private async claimAndResume(): Promise<void> {
    for (;;) {
      const room = this.settings.maxResuming - this.resuming;
      if (room <= 0) return;
      const claimed = await this.repository.claimExpired({ owner: this.settings.instanceId, ms: this.settings.leaseMs }, room);
      if (claimed.length > 0) this.logger.log(`Resuming ${claimed.length} saga(s) whose lease expired`);
      for (const saga of claimed) {
        this.resuming += 1;
        this.runner
          .drive(saga)
          .catch((error: unknown) => this.logger.error(`Resuming saga ${saga.id} failed: ${error instanceof Error ? error.message : String(error)}`))
          .finally(() => (this.resuming -= 1));
      }
      if (claimed.length < room) return;
    }
  }
}
