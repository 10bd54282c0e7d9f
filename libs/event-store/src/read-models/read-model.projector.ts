import type { DataSource, EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { runPrepared } from '@app/database';
import { READ_MODELS, type ReadModel } from './read-model.definitions.js';
import { lockReadModel, lockRows } from './read-model.lock.js';
import { eventsByKey, upsertViews } from './read-model.writer.js';

/** One fresh event applied to one row of a read model: the row's view before and after it. */
export interface ViewChange {
  model: string;
  key: string;
  event: AnyEvent;
  before: unknown;
  after: unknown;
}

/**
 * Applies live events to every read model. Each model records the events it applied in the same
 * transaction as its rows, so a redelivered event is skipped and a crash loses nothing: the
 * transaction either happened whole or the event is still pending on the bus. Resolves with the
 * number of (model, event) applications.
 */
export async function projectEvents(db: DataSource, events: readonly AnyEvent[], models: readonly ReadModel<unknown>[] = READ_MODELS): Promise<number> {
  return (await projectEventsWithChanges(db, events, models)).length;
}

/**
 * {@link projectEvents}, resolving with what each event applied for the first time changed, once
 * committed: what reacts to a read model's transitions (a checkout becoming terminal) sees each
 * transition once, never again for a redelivered or duplicate event.
 */
export async function projectEventsWithChanges(
  db: DataSource,
  events: readonly AnyEvent[],
  models: readonly ReadModel<unknown>[] = READ_MODELS,
): Promise<ViewChange[]> {
  if (events.length === 0) return [];
  return db.transaction(async (tx) => {
    const changes: ViewChange[] = [];
    for (const model of models) changes.push(...(await applyToModel(tx, model, events)));
    return changes;
  });
}

/** Records which of the events the model has not applied yet; the statements of every batch are prepared. */
const CHECKPOINT = {
  name: 'read_model_checkpoint',
  text: 'INSERT INTO projection_applied (model, event_id) SELECT $1, id FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING RETURNING event_id',
};

async function applyToModel(tx: EntityManager, model: ReadModel<unknown>, events: readonly AnyEvent[]): Promise<ViewChange[]> {
  const relevant = events.filter((e) => model.keyOf(e) !== undefined);
  if (relevant.length === 0) return [];
  await lockReadModel(tx, model, 'shared');
  const inserted = await runPrepared<{ event_id: string }>(tx, CHECKPOINT, [model.name, relevant.map((e) => e.eventId)]);
  const fresh = new Set(inserted.map((r) => r.event_id));
  const byKey = eventsByKey(
    model,
    relevant.filter((e) => fresh.delete(e.eventId)),
  );
  if (byKey.size === 0) return [];
  const keys = [...byKey.keys()].sort();
  // Instances of the projector may hold events of one row at once.
  await lockRows(tx, model, keys);
  const current = await runPrepared<{ key: string; view: unknown }>(
    tx,
    { name: `read_model_views_${model.table}`, text: `SELECT ${model.keyColumn} AS key, view FROM ${model.table} WHERE ${model.keyColumn} = ANY($1)` },
    [keys],
  );
  const views = new Map<string, unknown>(current.map((r) => [r.key, r.view]));
  const changes: ViewChange[] = [];
  const changed = new Map<string, unknown>();
  for (const [key, keyEvents] of byKey) {
    let view = views.get(key);
    for (const event of keyEvents) {
      const after = model.evolve(view, event);
      changes.push({ model: model.name, key, event, before: view, after });
      view = after;
    }
    if (view !== undefined) changed.set(key, view);
  }
  await upsertViews(tx, model, changed);
  return changes;
}
