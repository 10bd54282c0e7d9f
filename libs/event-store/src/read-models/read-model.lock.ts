import type { EntityManager } from 'typeorm';
import { runPrepared } from '@app/database';
import type { ReadModel } from './read-model.definitions.js';

/*
 * Advisory locks are one space for the whole database, and several apps keep a read model of the
 * same name in schemas of their own (the checkout app, the deadline worker and the event store each
 * have a `checkout_view`). Every key below names the schema of the transaction, so one app's
 * projector never waits on another's rows or rebuild.
 */

/** The two keys of a model's lock, `$1` the model's name: the same for the rebuild and the live projector. */
const MODEL_KEY = `hashtext(current_schema() || '.read-model'), hashtext($1)`;

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
  await runPrepared(tx, { name: `read_model_lock_${mode}`, text: `SELECT ${lock}(${MODEL_KEY})` }, [model.name]);
}

/*
 * The model's lock (shared), then the rows' in key order, in one statement: the sort reads every key,
 * joined to the model's lock, before the first row lock is taken, so the model's lock always comes
 * first. With no key, nothing is locked, and there is nothing to write either.
 */
const LOCK_MODEL_ROWS = {
  name: 'read_model_lock_model_rows',
  text: `WITH model AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(${MODEL_KEY}))
    SELECT count(pg_advisory_xact_lock(hashtext(current_schema() || '.' || $2 || ':' || k))) AS locked
    FROM (SELECT k FROM model, unnest($3::text[]) AS k ORDER BY k) AS keys`,
};

/**
 * What a live projector transaction locks before it reads or writes anything of a model: the model,
 * shared ({@link lockReadModel}), then the rows of `keys`, in key order so that two projector
 * instances holding events of the same rows never deadlock.
 */
export async function lockModelRows(tx: EntityManager, model: ReadModel<unknown>, keys: readonly string[]): Promise<void> {
  await runPrepared(tx, LOCK_MODEL_ROWS, [model.name, model.table, keys]);
}
