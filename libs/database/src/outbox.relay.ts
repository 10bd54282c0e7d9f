import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OutboxListener } from './outbox.listener.js';
import { rowsOf } from './rows-of.js';

/** Where an outbox lives and how eagerly it is relayed. */
export interface OutboxRelayOptions {
  /** The outbox table, `(id bigint identity, envelope jsonb)`, in the app's schema, with `outboxNotifyTrigger` on it. */
  table: string;
  /** Rows relayed per transaction. */
  batchSize: number;
  /** How long a wake-up waits, so the commits of the next few milliseconds go out in the same batch; 0 relays at once. */
  delayMs: number;
  /**
   * Safety sweep of the whole table: only for rows another instance locked and then left behind by
   * dying mid-relay (nobody is notified of those). Everything else wakes the relay by notification.
   */
  intervalMs: number;
}

/** Publishes a batch of envelopes, in order, all or none (e.g. `EventPublisher.publishMany`). */
export type PublishBatch<T> = (envelopes: T[]) => Promise<unknown>;

/** Wait before trying again after `failures` failed relays in a row: from 100 ms, doubling, at most 2 s. */
const retryDelayMs = (failures: number): number => Math.min(2_000, 100 * 2 ** Math.max(0, failures - 1));

/**
 * Relays the envelopes queued in an outbox table to the bus, in batches, deleting them in the
 * transaction that read them: a crash before the commit publishes them again (at least once; with
 * deterministic event ids the event store deduplicates). Several instances relay side by side
 * (SKIP LOCKED). The app writes its outbox rows in the transaction of the change they announce.
 *
 * The relay sleeps until PostgreSQL tells it a transaction committed outbox rows (`LISTEN`, fed by
 * the table's trigger with the lowest id inserted), then reads from that id up. Rows commit in any
 * order of their ids, and each commit's notification names its own lowest id, so a late commit is
 * found by its own notification; reading from there, not from the start of the table, spares the
 * scan the index entries of rows already relayed and deleted. It reads the whole table when it
 * starts listening (notifications sent while nobody listened are lost), after a failure, on close,
 * and on a rare safety sweep. At rest it runs no query at all.
 */
export class OutboxRelay<T = unknown> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly batchSql: string;
  private listener: OutboxListener | undefined;
  private sweep?: NodeJS.Timeout;
  private scheduled?: NodeJS.Timeout | NodeJS.Immediate;
  private retry?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private closed = false;
  private failures = 0;
  /** The next drain reads ids above this one; undefined while nothing was announced. */
  private readAbove: bigint | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly publish: PublishBatch<T>,
    private readonly options: OutboxRelayOptions,
  ) {
    this.logger = new Logger(`OutboxRelay(${options.table})`);
    this.batchSql = `DELETE FROM ${options.table} WHERE id IN (SELECT id FROM ${options.table} WHERE id > $2 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING id, envelope`;
  }

  /** Starts listening; the first notification-free drain reads what was queued before the start. */
  async onApplicationBootstrap(): Promise<void> {
    const url = (this.db.options as { url?: string }).url;
    if (url === undefined) throw new Error(`OutboxRelay(${this.options.table}) needs a data source configured by url, to listen on a connection of its own`);
    const channel = this.options.table.split('.').at(-1) ?? this.options.table;
    this.listener = new OutboxListener(url, channel, {
      notified: (firstId) => this.wake(firstId - 1n),
      listening: () => this.wake(0n),
      lost: (error) => this.logger.warn(`Outbox notifications lost, listening again: ${error instanceof Error ? error.message : String(error)}`),
    });
    await this.listener.start();
    this.sweep = setInterval(() => this.wake(0n), this.options.intervalMs);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /** Relays what is left, then ignores further wake-ups. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    clearTimeout(this.retry);
    this.cancelScheduled();
    await this.listener?.close();
    await this.draining;
    await this.flush();
  }

  /**
   * Called by the app after it committed outbox rows. The table's notification wakes the relay, so
   * there is nothing to do while listening; while the listener is away, the whole table is relayed
   * at once, so no commit waits for the connection to come back.
   */
  nudge(): void {
    if (this.listener?.isListening === false) this.wake(0n);
  }

  /** Relays everything queued now, from the start of the table; resolves when done. */
  flush(): Promise<void> {
    this.readAbove = 0n;
    return this.run();
  }

  /** Asks for a relay of the ids above `after` soon. */
  private wake(after: bigint): void {
    this.readAbove = this.readAbove === undefined || after < this.readAbove ? after : this.readAbove;
    if (this.closed || this.scheduled !== undefined || this.retry !== undefined) return;
    const go = (): void => {
      this.scheduled = undefined;
      void this.run();
    };
    // With no delay, setImmediate still gathers the notifications that arrived in one read of the socket.
    this.scheduled = this.options.delayMs > 0 ? setTimeout(go, this.options.delayMs) : setImmediate(go);
  }

  private cancelScheduled(): void {
    clearTimeout(this.scheduled as NodeJS.Timeout | undefined);
    clearImmediate(this.scheduled as NodeJS.Immediate | undefined);
    this.scheduled = undefined;
  }

  private run(): Promise<void> {
    if (this.draining !== undefined) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again && this.readAbove !== undefined && this.retry === undefined) this.wake(this.readAbove);
      this.again = false;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    const from = this.readAbove;
    this.readAbove = undefined;
    if (from === undefined) return;
    let after = from;
    try {
      for (;;) {
        const ids = await this.relayBatch(after);
        const last = ids.at(-1);
        if (last === undefined || ids.length < this.options.batchSize) break;
        after = last;
      }
      this.failures = 0;
    } catch (error) {
      // The bus or PostgreSQL is away: the envelopes stay queued, and this relay tries again (a timer only while failing).
      this.failures += 1;
      this.logger.warn(`Outbox relay failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      this.readAbove = 0n;
      if (!this.closed) {
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.wake(0n);
        }, retryDelayMs(this.failures));
      }
    }
  }

  /** Relays one batch above `after`; resolves with the ids relayed, in order. */
  private async relayBatch(after: bigint): Promise<bigint[]> {
    return this.db.transaction(async (tx) => {
      const rows = (await rowsOf<{ id: string; envelope: T }>(tx, this.batchSql, [this.options.batchSize, String(after)])).map((row) => ({
        id: BigInt(row.id),
        envelope: row.envelope,
      }));
      rows.sort((a, b) => (a.id < b.id ? -1 : 1));
      if (rows.length > 0) await this.publish(rows.map((row) => row.envelope));
      return rows.map((row) => row.id);
    });
  }
}
