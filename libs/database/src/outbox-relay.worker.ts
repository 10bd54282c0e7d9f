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
 * A nudged relay reads only above the highest id it relayed: the rows below are deleted, and an
 * index scan from the start would wade through their dead index entries on every batch (until
 * vacuum), which cost more than the relaying itself under load. A row that commits after a higher
 * one was relayed (ids are taken before commit) is below that mark: the periodic sweep, which reads
 * from the start, relays it.
 */
export class OutboxRelay<T = unknown> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly batchSql: string;
  private sweep?: NodeJS.Timeout;
  private scheduled?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private closed = false;
  /** Highest id relayed by this instance; a nudge reads above it. */
  private relayedUpTo = '0';
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
    let after = this.fromStart ? '0' : this.relayedUpTo;
    this.fromStart = false;
    try {
      for (;;) {
        const relayed = await this.relayBatch(after);
        if (relayed.count < this.options.batchSize) break;
        after = relayed.last;
      }
    } catch (error) {
      this.fromStart = true;
      // The bus or PostgreSQL is away: the envelopes stay queued for the next sweep.
      this.logger.warn(`Outbox relay failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async relayBatch(after: string): Promise<{ count: number; last: string }> {
    const relayed = await this.db.transaction(async (tx) => {
      const rows = await rowsOf<{ id: string; envelope: T }>(tx, this.batchSql, [this.options.batchSize, after]);
      rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      if (rows.length > 0) await this.publish(rows.map((row) => row.envelope));
      return { count: rows.length, last: rows.at(-1)?.id ?? after };
    });
    if (BigInt(relayed.last) > BigInt(this.relayedUpTo)) this.relayedUpTo = relayed.last;
    return relayed;
  }
}
