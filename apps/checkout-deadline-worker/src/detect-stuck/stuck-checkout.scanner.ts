import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { withCorrelation } from '@app/observability';
import { DEADLINE_SETTINGS, type DeadlineSettings } from '../checkout-deadline.settings.js';
import { CompensateCheckoutHandler } from '../compensate-checkout/compensate-checkout.handler.js';
import { compensationMetrics } from '../compensate-checkout/compensation.metrics.js';
import { type OverdueCheckout, StuckCheckoutRepository } from './stuck-checkout.repository.js';

/**
 * The deadline of the choreography, which has no coordinator to notice a checkout that stopped
 * halfway (a worker down, an event dead-lettered): periodically, the checkouts initiated more than
 * CHECKOUT_DEADLINE_MS ago are compared with what the events this worker consumed say of them.
 * Those that ended are set aside for good; the others are stuck: logged, counted once, listed, and
 * (CHECKOUT_AUTO_COMPENSATE) compensated once the scan's transaction is over. Instances scan side by
 * side, each locking the rows it examines (SKIP LOCKED).
 */
@Injectable()
export class StuckCheckoutScanner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StuckCheckoutScanner.name);
  private readonly metrics = compensationMetrics();
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly repository: StuckCheckoutRepository,
    private readonly compensator: CompensateCheckoutHandler,
    @Inject(DEADLINE_SETTINGS) private readonly settings: DeadlineSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  /** Examines the overdue checkouts once; returns those found stuck. */
  async scan(): Promise<OverdueCheckout[]> {
    const stuck = await this.repository.transaction(async (tx) => {
      const overdue = await this.repository.lockOverdue(tx, this.settings.deadlineMs, this.settings.scanBatchSize);
      const ended = overdue.flatMap(({ checkoutId, status }) => (status === 'PENDING' ? [] : [{ checkoutId, status }]));
      const pending = overdue.filter((c) => c.status === 'PENDING');
      await this.repository.markSettled(tx, ended);
      await this.repository.markStuck(
        tx,
        pending.map(({ checkoutId, lastEventType }) => ({ checkoutId, lastEventType })),
      );
      return pending;
    });
    for (const checkout of stuck.filter((c) => c.stuckAt === undefined)) this.report(checkout);
    if (this.settings.autoCompensate) {
      for (const checkout of stuck.filter((c) => c.compensationRefused === undefined)) await this.compensate(checkout.checkoutId);
    }
    this.metrics.stuck.set(await this.repository.countStuck());
    return stuck;
  }

  private report(checkout: OverdueCheckout): void {
    this.metrics.stuckTotal.inc();
    withCorrelation(checkout.checkoutId, () =>
      this.logger.warn(`Checkout ${checkout.checkoutId} has no terminal event ${Date.now() - checkout.acceptedAt.getTime()} ms after it was accepted`),
    );
  }

  private async compensate(checkoutId: string): Promise<void> {
    await withCorrelation(checkoutId, async () => {
      try {
        const result = await this.compensator.execute(checkoutId);
        if (result.outcome === 'refused') this.logger.warn(`Stuck checkout ${checkoutId} not compensated: ${result.reason}`);
        else this.logger.warn(`Stuck checkout ${checkoutId} compensated at step ${result.compensation.failedStep}`);
      } catch (error) {
        // Participants away: the checkout stays stuck, and the next scan tries again.
        this.logger.error(`Compensating stuck checkout ${checkoutId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanning = this.scan()
        .then(
          () => undefined,
          (error: unknown) => this.logger.error(`Stuck checkout scan failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          this.scanning = undefined;
          this.schedule();
        });
    }, this.settings.scanIntervalMs);
  }
}
