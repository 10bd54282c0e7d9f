import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';
import { SagaRepository } from '../saga/saga.repository.js';
import { SagaRunner } from '../saga/saga.runner.js';
import { inResumeSpan } from '../saga/saga.spans.js';

/** While nothing happens, the wait between scans doubles up to this many times `recoveryIntervalMs`. */
const IDLE_BACKOFF = 16;

/**
 * Crash recovery: at start and then periodically, claims the running sagas whose lease expired
 * (their instance died, or this process was restarted) and resumes them: forward with the step
 * that was in flight, or compensating once past their deadline (see `overdueOutcome`). Claims skip
 * rows another instance is claiming, and each claim bumps the version, so a saga is never run by
 * two instances at once and a stale writer cannot advance it. A resumed saga continues the trace
 * of the request that created it.
 *
 * While checkouts flow through this instance, or a scan claimed something, scans run every
 * `recoveryIntervalMs`. At rest, with nothing to claim, the wait doubles up to 16 times that (32 s
 * by default), so an idle orchestrator asks PostgreSQL about twice a minute instead of every 2 s.
 * An instance dies with sagas in flight only while checkouts flow, when scans are at their pace.
 */
@Injectable()
export class SagaRecoveryScanner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SagaRecoveryScanner.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;
  private resuming = 0;
  private stopped = false;
  private waitMs: number;
  private runsSeen = 0;

  constructor(
    private readonly repository: SagaRepository,
    private readonly runner: SagaRunner,
    @Inject(SAGA_SETTINGS) private readonly settings: SagaSettings,
  ) {
    this.waitMs = settings.recoveryIntervalMs;
  }

  onApplicationBootstrap(): void {
    this.scanAndSchedule();
  }

  /** Stops claiming; sagas already resumed are drained with the others at shutdown. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  /** Claims and resumes what it can now (at most `maxResuming` at once); resolves with the number claimed. */
  sweep(): Promise<number> {
    this.sweeping ??= this.claimAndResume()
      .catch((error: unknown) => {
        this.logger.error(`Saga recovery failed: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      })
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private scanAndSchedule(): void {
    void this.sweep().then((claimed) => {
      if (this.stopped) return;
      const flowing = this.runner.runs !== this.runsSeen;
      this.runsSeen = this.runner.runs;
      const { recoveryIntervalMs } = this.settings;
      this.waitMs = claimed > 0 || flowing ? recoveryIntervalMs : Math.min(recoveryIntervalMs * IDLE_BACKOFF, this.waitMs * 2);
      this.timer = setTimeout(() => this.scanAndSchedule(), this.waitMs);
    });
  }

  /** Resolves with the number of sagas claimed. */
  private async claimAndResume(): Promise<number> {
    let total = 0;
    for (;;) {
      const room = this.settings.maxResuming - this.resuming;
      if (room <= 0) return total;
      const claimed = await this.repository.claimExpired({ owner: this.settings.instanceId, ms: this.settings.leaseMs }, room);
      total += claimed.length;
      if (claimed.length > 0) this.logger.log(`Resuming ${claimed.length} saga(s) whose lease expired`);
      for (const saga of claimed) {
        this.resuming += 1;
        inResumeSpan(saga, 'recovery', () => this.runner.drive(saga))
          .catch((error: unknown) => this.logger.error(`Resuming saga ${saga.id} failed: ${error instanceof Error ? error.message : String(error)}`))
          .finally(() => (this.resuming -= 1));
      }
      if (claimed.length < room) return total;
    }
  }
}
