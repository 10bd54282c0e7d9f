import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError } from '@app/contracts';
import { type PeriodicTask, startPeriodic } from '@app/redis-streams';
import { MoveParcelHandler } from '../carrier-callbacks/move-parcel.handler.js';
import type { ParcelState } from '../parcel/parcel.machine.js';
import { SHIPPING_SETTINGS, type ShippingSettings } from '../shipping.settings.js';
import { carrierMoveFor } from './carrier.decisions.js';

/** Parcels moved per tick at most. */
const BATCH = 200;

/**
 * The parcels due a move ($1: the step in ms, $2: how many), oldest news first. Asked every second,
 * so it reads the `parcels_awaiting_carrier` index, never every parcel ever shipped.
 */
export const PARCELS_DUE_A_MOVE = `SELECT parcel_id, status, replaces_parcel_id IS NOT NULL AS reshipment FROM parcels
  WHERE status IN ('REGISTERED', 'SHIPPED', 'INCIDENT') AND last_news_at < now() - make_interval(secs => $1::double precision / 1000)
  ORDER BY last_news_at LIMIT $2`;

/**
 * A simulated carrier for demonstrations (CARRIER_SIMULATOR, on in `npm start`, off in tests): every
 * parcel moves on CARRIER_STEP_MS after its last move, through the same path as the carrier's
 * callbacks, with an incident at CARRIER_INCIDENT_RATE.
 */
@Injectable()
export class CarrierSimulator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CarrierSimulator.name);
  private task?: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly handler: MoveParcelHandler,
    @Inject(SHIPPING_SETTINGS) private readonly settings: ShippingSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.carrier.enabled) return;
    this.task = startPeriodic(
      Math.min(this.settings.carrier.stepMs, 1_000),
      () => this.tick(),
      (error) => this.logger.warn(`Carrier simulator tick failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  /** Moves every parcel due; resolves with how many moved. */
  async tick(): Promise<number> {
    const due = await this.db.query<{ parcel_id: string; status: ParcelState; reshipment: boolean }[]>(PARCELS_DUE_A_MOVE, [
      this.settings.carrier.stepMs,
      BATCH,
    ]);
    let moved = 0;
    for (const parcel of due) {
      const move = carrierMoveFor(
        { status: parcel.status, isReshipment: parcel.reshipment },
        this.settings.carrier.incidentRate,
        randomInt(1_000_000) / 1_000_000,
      );
      if (move === undefined) continue;
      try {
        await this.handler.apply(parcel.parcel_id, move);
        moved += 1;
      } catch (error) {
        // Another move got there first (the deadline, a real callback): the carrier's news is stale.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return moved;
  }
}
