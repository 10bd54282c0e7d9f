import type { DataSource, EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { READ_MODELS, type ReadModel } from './read-model.definitions.js';
import { lockModelRows } from './read-model.lock.js';
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

/**
 * Records the events in the model's checkpoint and reads the rows they touch, in one statement run
 * once the rows are locked: which events are fresh (not applied before), and each row's view. Sent as
 * text, so planned on every run: it reads a table that grows (ADR 0022).
 */
const checkpointAndRead = (model: ReadModel<unknown>): string => `WITH fresh AS (
      INSERT INTO projection_applied (model, event_id) SELECT $1, id FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING RETURNING event_id
    )
    SELECT (SELECT coalesce(array_agg(event_id), '{}') FROM fresh) AS fresh,
      (SELECT coalesce(jsonb_object_agg(${model.keyColumn}, view), '{}') FROM ${model.table} WHERE ${model.keyColumn} = ANY($3)) AS views`;

/**
 * Applies the events to one model, in three statements: lock the model and the rows the events
 * touch, record the checkpoint and read those rows, write the rows that changed.
 */
async function applyToModel(tx: EntityManager, model: ReadModel<unknown>, events: readonly AnyEvent[]): Promise<ViewChange[]> {
  const relevant = eventsByKey(model, events);
  if (relevant.size === 0) return [];
  const keys = [...relevant.keys()];
  // Instances of the projector may hold events of one row at once.
  await lockModelRows(tx, model, keys);
  const [read] = await tx.query<{ fresh: string[]; views: Record<string, unknown> }[]>(checkpointAndRead(model), [
    model.name,
    [...relevant.values()].flat().map((e) => e.eventId),
    keys,
  ]);
  const fresh = new Set(read!.fresh);
  const changes: ViewChange[] = [];
  const changed = new Map<string, unknown>();
  for (const [key, keyEvents] of relevant) {
    const freshEvents = keyEvents.filter((e) => fresh.delete(e.eventId));
    if (freshEvents.length === 0) continue;
    let view = read!.views[key];
    for (const event of freshEvents) {
      const after = model.evolve(view, event);
      changes.push({ model: model.name, key, event, before: view, after });
      view = after;
    }
    if (view !== undefined) changed.set(key, view);
  }
  await upsertViews(tx, model, changed);
  return changes;
}
