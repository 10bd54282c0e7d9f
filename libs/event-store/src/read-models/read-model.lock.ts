import type { EntityManager } from 'typeorm';
import { runPrepared } from '@app/database';
import type { ReadModel } from './read-model.definitions.js';

/*
 * Advisory locks are one space for the whole database, and several apps keep a read model of the
 * same name in schemas of their own (the checkout app, the deadline worker and the event store each
 * have a `checkout_view`). Every key below names the schema of the transaction, so one app's
 * projector never waits on another's rows or rebuild.
 */

/**
 * Takes a read model's lock for the rest of the transaction: live projector transactions hold it
 * shared (they run side by side), a rebuild holds it alone, so no projector transaction of that model
 * is in flight while the rebuild reads its checkpoint and replaces its rows. Both take it before
 * touching anything else of the model, so neither ever waits on a row the other holds (a projector
 * transaction that wrote checkpoint rows before a rebuild locked the table deadlocked with it).
 * Two-key advisory locks: a space of their own, apart from the one-key locks on rows.
 */
export async function lockReadModel(tx: EntityManager, model: ReadModel<unknown>, mode: 'shared' | 'exclusive'): Promise<void> {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await runPrepared(tx, { name: `read_model_lock_${mode}`, text: `SELECT ${lock}(hashtext(current_schema() || '.read-model'), hashtext($1))` }, [model.name]);
}

const LOCK_ROWS = {
  name: 'read_model_lock_rows',
  text: `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || $1 || ':' || k)) FROM unnest($2::text[]) AS k ORDER BY k`,
};

/**
 * Locks rows of a read model by key for the rest of the transaction, in key order so that two
 * projector instances holding events of the same rows never deadlock.
 */
export async function lockRows(tx: EntityManager, model: ReadModel<unknown>, keys: readonly string[]): Promise<void> {
  await runPrepared(tx, LOCK_ROWS, [model.table, keys]);
}
