import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { rowsOf } from '@app/database';
import { type CompensationRecord, type WatchedCheckout, type WatchedCheckoutRow, toWatchedCheckout } from './watched-checkout.mapper.js';

/** What a claim attempt found: the checkout is ours to compensate, already compensated, claimed by another, or unknown. */
export type Claim =
  | { kind: 'claimed'; checkout: WatchedCheckout }
  | { kind: 'compensated'; checkout: WatchedCheckout & { compensatedAt: Date; compensation: CompensationRecord } }
  | { kind: 'held' }
  | { kind: 'unknown' };

// One statement, one short transaction: the row as it was, and whether the claim was taken. A
// concurrent claim waits for this one's commit, then finds the claim live and takes nothing.
const CLAIM = `
  WITH claimed AS (
    UPDATE watched_checkouts SET claimed_by = $2, claimed_until = now() + $3::int * interval '1 millisecond'
    WHERE checkout_id = $1 AND compensated_at IS NULL AND (claimed_until IS NULL OR claimed_until < now() OR claimed_by = $2)
    RETURNING checkout_id
  )
  SELECT c.*, v.view, EXISTS (SELECT 1 FROM claimed) AS claimed
  FROM watched_checkouts c LEFT JOIN checkout_view v USING (checkout_id) WHERE c.checkout_id = $1`;

const SELECT = `SELECT c.*, v.view FROM watched_checkouts c LEFT JOIN checkout_view v USING (checkout_id) WHERE c.checkout_id = $1`;

/**
 * Claim, release, call, record: a compensation takes the checkout in a short transaction, calls the
 * participants with no transaction open, then records the outcome in another short one. A claim
 * lapses after its lease, so a crashed instance's checkout is taken over.
 */
@Injectable()
export class CompensationClaimsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async claim(checkoutId: string, owner: string, leaseMs: number): Promise<Claim> {
    const [row] = await rowsOf<WatchedCheckoutRow & { claimed: boolean }>(this.db.manager, CLAIM, [checkoutId, owner, leaseMs]);
    if (row === undefined) return { kind: 'unknown' };
    const checkout = toWatchedCheckout(row);
    if (row.claimed) return { kind: 'claimed', checkout };
    if (checkout.compensatedAt !== undefined && checkout.compensation !== undefined) {
      return { kind: 'compensated', checkout: { ...checkout, compensatedAt: checkout.compensatedAt, compensation: checkout.compensation } };
    }
    return { kind: 'held' };
  }

  /** Gives the claim up (the calls failed, or there was nothing to do), if it is still ours. */
  async release(checkoutId: string, owner: string, tx: EntityManager = this.db.manager): Promise<void> {
    await tx.query('UPDATE watched_checkouts SET claimed_by = NULL, claimed_until = NULL WHERE checkout_id = $1 AND claimed_by = $2', [checkoutId, owner]);
  }

  /**
   * Records the compensation and queues its events, unless one was recorded already (an instance
   * that took over a lapsed claim finished first): the first record is the answer, and its events
   * are the only ones queued. Resolves with the record that stands and whether it is this one.
   */
  async recordCompensation(
    checkoutId: string,
    record: CompensationRecord,
    envelopes: readonly AnyEvent[],
  ): Promise<{ record: CompensationRecord; at: Date; fresh: boolean }> {
    return this.db.transaction(async (tx) => {
      const [updated] = await rowsOf<{ compensated_at: Date }>(
        tx,
        `UPDATE watched_checkouts SET compensated_at = now(), compensation = $2, claimed_by = NULL, claimed_until = NULL
         WHERE checkout_id = $1 AND compensated_at IS NULL RETURNING compensated_at`,
        [checkoutId, JSON.stringify(record)],
      );
      if (updated !== undefined) {
        await this.queue(tx, envelopes);
        return { record, at: updated.compensated_at, fresh: true };
      }
      const [row] = await rowsOf<WatchedCheckoutRow>(tx, SELECT, [checkoutId]);
      return { record: row!.compensation!, at: row!.compensated_at!, fresh: false };
    });
  }

  /** Remembers that the order is confirmed (the scan stops trying), queues the success that was lost, and gives the claim up. */
  async recordRefusal(checkoutId: string, owner: string, code: string, envelopes: readonly AnyEvent[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE watched_checkouts SET compensation_refused = $2 WHERE checkout_id = $1', [checkoutId, code]);
      await this.queue(tx, envelopes);
      await this.release(checkoutId, owner, tx);
    });
  }

  private async queue(tx: EntityManager, envelopes: readonly AnyEvent[]): Promise<void> {
    if (envelopes.length === 0) return;
    await tx.query('INSERT INTO deadline_outbox (envelope) SELECT e FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n) ORDER BY n', [
      JSON.stringify(envelopes),
    ]);
  }
}
