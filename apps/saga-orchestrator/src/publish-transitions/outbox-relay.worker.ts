import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { rowsOf } from '@app/database';
import { EventPublisher } from '@app/redis-streams';
import { SAGA_SETTINGS, type SagaSettings } from '../saga-orchestrator.settings.js';

/**
 * Relays the transition events queued in `saga_outbox` to Redis (`ecommerce.saga.events`), in
 * batches, deleting them in the transaction that read them: a crash before the commit publishes
 * them again (at least once; their event ids are deterministic, so the event store deduplicates).
 * Several instances relay side by side (SKIP LOCKED); events of one saga may then interleave
 * across batches, and consumers order them by the saga's transition number in their causation chain.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private sweep?: NodeJS.Timeout;
  private scheduled?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publisher: EventPublisher,
    @Inject(SAGA_SETTINGS) private readonly settings: SagaSettings,
  ) {}

  onApplicationBootstrap(): void {
    // Picks up what a crashed instance, or a Redis outage, left behind.
    this.sweep = setInterval(() => this.nudge(), this.settings.outbox.intervalMs);
    this.nudge();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /** Relays what is left, then ignores further nudges (the runner calls it once its sagas drained). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    clearTimeout(this.scheduled);
    await this.flush();
  }

  /** Asks for a relay soon; the transitions of the next few milliseconds go out in the same batch. */
  nudge(): void {
    if (this.closed || this.scheduled !== undefined) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      void this.flush();
    }, this.settings.outbox.delayMs);
  }

  /** Relays everything queued now; resolves when done (shutdown waits for it). */
  async flush(): Promise<void> {
    if (this.draining !== undefined) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while ((await this.relayBatch()) === this.settings.outbox.batchSize);
    } catch (error) {
      // Redis or PostgreSQL is away: the events stay queued for the next sweep.
      this.logger.warn(`Outbox relay failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private relayBatch(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await rowsOf<{ id: string; envelope: AnyEvent }>(
        tx,
        'DELETE FROM saga_outbox WHERE id IN (SELECT id FROM saga_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING id, envelope',
        [this.settings.outbox.batchSize],
      );
      rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      await this.publisher.publishMany(rows.map((row) => row.envelope));
      return rows.length;
    });
  }
}
