import type { EntityManager } from 'typeorm';
import type { ReadModel } from './read-model.definitions.js';

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
  await tx.query(`SELECT ${lock}(hashtext('read-model'), hashtext($1))`, [model.name]);
}
