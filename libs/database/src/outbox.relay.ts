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
 *
 * A nudged relay reads only above a watermark below which every id was relayed: the rows there are
 * deleted, and an index scan from the start would wade through their dead index entries on every
 * batch (until vacuum), which cost more than the relaying itself under load. Ids are taken before
 * commit, so a row can commit after a higher one was relayed: the watermark stays below such a gap,
 * and the late row's own nudge finds it. A gap that outlives a sweep interval (a rolled-back insert,
 * or a row another instance relayed) is passed over; the periodic sweep reads from the start anyway.
 */
export class OutboxRelay<T = unknown> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly batchSql: string;
  private sweep?: NodeJS.Timeout;
  private scheduled?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private closed = false;
  /** Every id up to this one was relayed (or is left to the sweep); a nudge reads above it. */
  private watermark = 0n;
  /** Ids relayed above the watermark, past a gap. */
  private readonly relayedAbove = new Set<bigint>();
  private gapSince: number | undefined;
  private readOnce = false;
  /** Whether the next drain reads from the start of the table (sweep, close). */
  private fromStart = true;

  constructor(
    private readonly db: DataSource,
    private readonly publish: PublishBatch<T>,
    private readonly options: OutboxRelayOptions,
  ) {
    this.logger = new Logger(`OutboxRelay(${options.table})`);
    this.batchSql = `DELETE FROM ${options.table} WHERE id IN (SELECT id FROM ${options.table} WHERE id > $2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING id, envelope`;
  }

  onApplicationBootstrap(): void {
    this.sweep = setInterval(() => this.sweepAll(), this.options.intervalMs);
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
    await this.draining;
    this.fromStart = true;
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

  /** Asks for a relay of the whole table soon, late commits included. */
  private sweepAll(): void {
    this.fromStart = true;
    this.nudge();
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
    let after = this.fromStart ? '0' : String(this.watermark);
    this.fromStart = false;
    try {
      for (;;) {
        const ids = await this.relayBatch(after);
        const last = ids.at(-1);
        if (last === undefined || ids.length < this.options.batchSize) break;
        after = String(last);
      }
    } catch (error) {
      this.fromStart = true;
      // The bus or PostgreSQL is away: the envelopes stay queued for the next sweep.
      this.logger.warn(`Outbox relay failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Relays one batch above `after`; resolves with the ids relayed, in order. */
  private async relayBatch(after: string): Promise<bigint[]> {
    const ids = await this.db.transaction(async (tx) => {
      const rows = (await rowsOf<{ id: string; envelope: T }>(tx, this.batchSql, [this.options.batchSize, after])).map((row) => ({
        id: BigInt(row.id),
        envelope: row.envelope,
      }));
      rows.sort((a, b) => (a.id < b.id ? -1 : 1));
      if (rows.length > 0) await this.publish(rows.map((row) => row.envelope));
      return rows.map((row) => row.id);
    });
    this.raiseWatermark(ids);
    return ids;
  }

  /**
   * The first rows this relay reads set the watermark below the first of them: what lies below was
   * relayed before this relay began (or, if it commits late, is left to the sweep).
   */
  private raiseWatermark(ids: readonly bigint[]): void {
    const first = ids[0];
    if (!this.readOnce && first !== undefined) {
      this.watermark = first - 1n;
      this.readOnce = true;
    }
    for (const id of ids) if (id > this.watermark) this.relayedAbove.add(id);
    while (this.relayedAbove.delete(this.watermark + 1n)) this.watermark += 1n;
    if (this.relayedAbove.size === 0) {
      this.gapSince = undefined;
    } else if (this.gapSince === undefined) {
      this.gapSince = Date.now();
    } else if (Date.now() - this.gapSince > this.options.intervalMs) {
      for (const id of this.relayedAbove) if (id > this.watermark) this.watermark = id;
      this.relayedAbove.clear();
      this.gapSince = undefined;
    }
  }
}
