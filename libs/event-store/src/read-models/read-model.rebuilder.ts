import type { DataSource, EntityManager } from 'typeorm';
import { readAllForFold } from '../event-store.reader.js';
import type { ReadModel } from './read-model.definitions.js';
import { lockReadModel } from './read-model.lock.js';
import { waitUntilStored } from './store-catch-up.js';
import { upsertViews } from './read-model.writer.js';

/** Where a rebuild's time went, in milliseconds; what is left of `seconds` is taking locks and the transaction. */
export interface RebuildPhases {
  /** Waiting for pages of events: PostgreSQL reading them, and this process decoding their rows. */
  readMs: number;
  /** Folding the events into views, in this process. */
  foldMs: number;
  /** Waiting for the audit worker to store what the live projection applied. */
  catchUpMs: number;
  /** Replacing the model's rows. */
  writeMs: number;
  /** Adding the ids of the folded events to the model's checkpoint. */
  checkpointMs: number;
}

export interface RebuildReport {
  projection: string;
  events: number;
  rows: number;
  seconds: number;
  eventsPerSecond: number;
  phases: RebuildPhases;
}

export interface RebuildOptions {
  /** How long to wait, holding nothing, for the audit worker to store what the live projection applied. */
  catchUpMs?: number;
  /** How long to wait for the rest while the live projection of this model is held. */
  lockedCatchUpMs?: number;
}

const PAGE = 10_000;
const WRITE_CHUNK = 5_000;

/** A fold of the stored events in global order, read page by page and resumable. */
class StoreFold {
  readonly views = new Map<string, unknown>();
  events = 0;
  after = 0;
  readMs = 0;
  foldMs = 0;

  constructor(private readonly model: ReadModel<unknown>) {}

  /** Folds every event stored after those already folded; each page is read while the one before it is folded. */
  async readRest(source: Pick<EntityManager, 'query'>): Promise<void> {
    let next = readAllForFold(source, this.after, PAGE);
    for (;;) {
      const waited = performance.now();
      const page = await next;
      const folded = performance.now();
      this.readMs += folded - waited;
      if (page.length === 0) return;
      const last = page[page.length - 1]!.globalPosition;
      next = readAllForFold(source, last, PAGE);
      for (const { event } of page) {
        const key = this.model.keyOf(event);
        if (key === undefined) continue;
        const view = this.model.evolve(this.views.get(key), event);
        if (view !== undefined) this.views.set(key, view);
      }
      this.foldMs += performance.now() - folded;
      this.events += page.length;
      this.after = last;
    }
  }
}

/** How long `work` took, in milliseconds. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const from = performance.now();
  await work();
  return performance.now() - from;
}

/**
 * Rebuilds a read model from the durable store while the system runs: its rows become the fold of
 * every stored event, its checkpoint the ids of those events. The live projector applies events as
 * they come off the bus, often before the audit worker has stored them, and never sees them again;
 * so the rebuild first waits until every event the model applied is stored, and folds it. Most of
 * the fold and of the wait happen holding nothing; then the model's live projection is held (its
 * lock) only to wait for what it applied meanwhile, fold the rest and swap rows and checkpoint in
 * one transaction. Nothing else is touched, no event is published.
 * @throws ConflictError (`EVENT_STORE.STORE_BEHIND_PROJECTION`) when the store does not catch up in time.
 */
export async function rebuildReadModel(db: DataSource, model: ReadModel<unknown>, options: RebuildOptions = {}): Promise<RebuildReport> {
  const started = performance.now();
  const fold = new StoreFold(model);
  let catchUpMs = 0;
  await fold.readRest(db);
  catchUpMs += await timed(() => waitUntilStored(db, model, options.catchUpMs ?? 30_000));
  return db.transaction(async (tx) => {
    await lockReadModel(tx, model, 'exclusive');
    // Before folding the rest: what the model applied is then stored at or below the last position folded.
    catchUpMs += await timed(() => waitUntilStored(tx, model, options.lockedCatchUpMs ?? 5_000));
    await fold.readRest(tx);
    const writeMs = await timed(async () => {
      await tx.query(`DELETE FROM ${model.table}`);
      const entries = [...fold.views.entries()];
      for (let i = 0; i < entries.length; i += WRITE_CHUNK) await upsertViews(tx, model, new Map(entries.slice(i, i + WRITE_CHUNK)));
    });
    // Every id the checkpoint holds is folded (waited for above); only the folded events it lacks
    // are added, so a rebuild costs reads, not a rewrite of every id the model ever applied. The
    // difference is one hashed set operation: probing the checkpoint once per stored event (what
    // ON CONFLICT alone, or a plan made on stale statistics, does) costs several times more.
    const checkpointMs = await timed(() =>
      tx.query(
        `INSERT INTO projection_applied (model, event_id)
         SELECT $1, event_id FROM (SELECT event_id FROM events WHERE global_position <= $2 EXCEPT SELECT event_id FROM projection_applied WHERE model = $1) missing
         ON CONFLICT DO NOTHING`,
        [model.name, fold.after],
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const { events } = fold;
    const ms = (value: number) => Math.round(value * 10) / 10;
    return {
      projection: model.name,
      events,
      rows: fold.views.size,
      seconds,
      eventsPerSecond: Math.round(events / Math.max(seconds, 1e-6)),
      phases: { readMs: ms(fold.readMs), foldMs: ms(fold.foldMs), catchUpMs: ms(catchUpMs), writeMs: ms(writeMs), checkpointMs: ms(checkpointMs) },
    };
  });
}
