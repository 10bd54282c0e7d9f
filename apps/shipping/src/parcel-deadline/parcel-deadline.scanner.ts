import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type PeriodicTask, startPeriodic } from '@app/redis-streams';
import { MoveParcelHandler } from '../carrier-callbacks/move-parcel.handler.js';
import { ParcelRepository } from '../parcel/parcel.repository.js';
import { SHIPPING_SETTINGS, type ShippingSettings } from '../shipping.settings.js';

/**
 * The parcels' deadline: a parcel with no news from the carrier for PARCEL_DEADLINE_MS gets a
 * DEADLINE incident of its own, and a refund left unfinished (its participants were away, or the app
 * stopped between its steps) is taken up again.
 */
@Injectable()
export class ParcelDeadlineScanner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ParcelDeadlineScanner.name);
  private task?: PeriodicTask;

  constructor(
    private readonly handler: MoveParcelHandler,
    private readonly parcels: ParcelRepository,
    @Inject(SHIPPING_SETTINGS) private readonly settings: ShippingSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.task = startPeriodic(
      this.settings.scanIntervalMs,
      () => this.scan(),
      (error) => this.logger.warn(`Parcel deadline scan failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  /** One pass: declares the overdue parcels' incidents and finishes unfinished refunds; resolves with the parcels declared. */
  async scan(): Promise<string[]> {
    const overdue = await this.handler.declareOverdue(this.settings.deadlineMs, this.settings.scanBatchSize);
    for (const parcelId of overdue) this.logger.warn({ parcelId }, 'Parcel past its deadline: DEADLINE incident declared');
    for (const parcelId of await this.parcels.refundsUnfinished(this.settings.refundRetryMs, this.settings.scanBatchSize)) {
      await this.handler.apply(parcelId, { kind: 'resolve', resolution: 'REFUNDED' });
    }
    return overdue;
  }
}
