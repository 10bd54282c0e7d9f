import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { rowsOf } from './rows-of.js';

/** Where an outbox lives and how eagerly it is relayed. */
export interface OutboxRelayOptions {
  /** The outbox table, `(id bigint identity, envelope jsonb)`, in the app's schema. */
  table: string;
  /** Rows relayed per transaction. */
  batchSize: number;
  /** How long a nudge waits, so the writes of the next few milliseconds go out in the same batch. */
  delayMs: number;
  /** Sweep interval: picks up what a crashed instance, or an outage of the bus, left behind. */
  intervalMs: number;
}

/** Publishes a batch of envelopes, in order, all or none (e.g. `EventPublisher.publishMany`). */
export type PublishBatch<T> = (envelopes: T[]) => Promise<unknown>;

/**
 * Relays the envelopes queued in an outbox table to the bus, in batches, deleting them in the
 * transaction that read them: a crash before the commit publishes them again (at least once; with
 * deterministic event ids the event store deduplicates). Several instances relay side by side
 * (SKIP LOCKED). The app writes its outbox rows in the transaction of the change they announce, calls
 * {@link nudge} after the commit, and {@link close} once nothing more will be written.
 */
export class OutboxRelay<T = unknown> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly batchSql: string;
  private sweep?: NodeJS.Timeout;
  private scheduled?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private closed = false;

  constructor(
    private readonly db: DataSource,
    private readonly publish: PublishBatch<T>,
    private readonly options: OutboxRelayOptions,
  ) {
    this.logger = new Logger(`OutboxRelay(${options.table})`);
    this.batchSql = `DELETE FROM ${options.table} WHERE id IN (SELECT id FROM ${options.table} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING id, envelope`;
  }

  onApplicationBootstrap(): void {
    this.sweep = setInterval(() => this.nudge(), this.options.intervalMs);
    this.nudge();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /** Relays what is left, then ignores further nudges. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    clearTimeout(this.scheduled);
    await this.flush();
  }

  /** Asks for a relay soon. */
  nudge(): void {
    if (this.closed || this.scheduled !== undefined) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      void this.flush();
    }, this.options.delayMs);
  }

  /** Relays everything queued now; resolves when done. */
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
      while ((await this.relayBatch()) === this.options.batchSize);
    } catch (error) {
      // The bus or PostgreSQL is away: the envelopes stay queued for the next sweep.
      this.logger.warn(`Outbox relay failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private relayBatch(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await rowsOf<{ id: string; envelope: T }>(tx, this.batchSql, [this.options.batchSize]);
      rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      if (rows.length > 0) await this.publish(rows.map((row) => row.envelope));
      return rows.length;
    });
  }
}
