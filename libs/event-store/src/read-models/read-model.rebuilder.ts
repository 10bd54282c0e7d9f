import type { DataSource } from 'typeorm';
import { readAll } from '../event-store.reader.js';
import type { ReadModel } from './read-model.definitions.js';
import { upsertViews } from './read-model.writer.js';

export interface RebuildReport {
  projection: string;
  events: number;
  rows: number;
  seconds: number;
  eventsPerSecond: number;
}

const PAGE = 10_000;
const WRITE_CHUNK = 5_000;

/**
 * Rebuilds a read model from the durable store, in one transaction that locks the model's table
 * against the live projector: the rows are replaced by the fold of every stored event, and the
 * model's checkpoint by the ids of those events. Nothing else is touched, no event is published.
 */
export async function rebuildReadModel(db: DataSource, model: ReadModel<unknown>): Promise<RebuildReport> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${model.table} IN EXCLUSIVE MODE`);
    const views = new Map<string, unknown>();
    let events = 0;
    let after = 0;
    for (;;) {
      const page = await readAll(db, after, PAGE);
      if (page.length === 0) break;
      for (const { event } of page) {
        const key = model.keyOf(event);
        if (key === undefined) continue;
        const view = model.evolve(views.get(key), event);
        if (view !== undefined) views.set(key, view);
      }
      events += page.length;
      after = page[page.length - 1]!.globalPosition;
    }
    await tx.query(`DELETE FROM ${model.table}`);
    const entries = [...views.entries()];
    for (let i = 0; i < entries.length; i += WRITE_CHUNK) await upsertViews(tx, model, new Map(entries.slice(i, i + WRITE_CHUNK)));
    // The checkpoint becomes the ids of the folded events. Most are in it already: only what differs
    // is written, so a rebuild costs reads, not a rewrite of every id the model ever applied.
    await tx.query(
      `DELETE FROM projection_applied a WHERE a.model = $1
       AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = a.event_id AND e.global_position <= $2)`,
      [model.name, after],
    );
    await tx.query(
      'INSERT INTO projection_applied (model, event_id) SELECT $1, event_id FROM events WHERE global_position <= $2 ON CONFLICT DO NOTHING',
      [model.name, after],
    );
    const seconds = (performance.now() - started) / 1000;
    return { projection: model.name, events, rows: views.size, seconds, eventsPerSecond: Math.round(events / Math.max(seconds, 1e-6)) };
  });
}
