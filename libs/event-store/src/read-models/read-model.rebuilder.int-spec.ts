import { setTimeout as sleep } from 'node:timers/promises';
import { type DataSource } from 'typeorm';
import { type AnyEvent, ErrorCode, STREAM_OF } from '@app/contracts';
import { type TestEventStore, choreographedCheckout, createTestEventStore, eventually, orchestratedCheckout } from '@app/testing';
import { appendEvents } from '../event-store.appender.js';
import { readAll } from '../event-store.reader.js';
import { READ_MODELS, type ReadModel, checkoutStatusModel } from './read-model.definitions.js';
import { projectEvents } from './read-model.projector.js';
import { rebuildReadModel } from './read-model.rebuilder.js';

/** Holds a projector transaction for a while right after it wrote the checkpoint row of a listed event. */
const SLOW_CHECKPOINT = `
  CREATE TABLE test_slow (event_id text PRIMARY KEY);
  CREATE FUNCTION test_slow_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM test_slow WHERE event_id = NEW.event_id) THEN PERFORM pg_sleep(1); END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER test_slow_checkpoint AFTER INSERT ON projection_applied FOR EACH ROW EXECUTE FUNCTION test_slow_checkpoint();`;

describe('read model rebuild beside the live projector (PostgreSQL)', () => {
  let eventStore: TestEventStore;
  let db: DataSource;
  let n = 0;
  const store = (events: AnyEvent[]) =>
    appendEvents(
      db,
      events.map((event) => ({ stream: STREAM_OF[event.type], event })),
    );
  const checkouts = (count: number) =>
    Array.from({ length: count }, () => {
      n += 1;
      return n % 3 === 0
        ? orchestratedCheckout('succeeded', { checkoutId: `r-${n}`, clientId: `c-${n % 4}`, sagaId: `r-${n}` })
        : choreographedCheckout(n % 3 === 1 ? 'succeeded' : 'declined', { checkoutId: `r-${n}`, clientId: `c-${n % 4}` });
    }).flat();
  /** The model's rows as the fold of every stored event, in store order, would have them. */
  const foldOfStore = async (model: ReadModel<unknown>) => {
    const views = new Map<string, unknown>();
    for (const { event } of await readAll(db, 0, 1_000_000)) {
      const key = model.keyOf(event);
      const view = key === undefined ? undefined : model.evolve(views.get(key), event);
      if (view !== undefined) views.set(key!, view);
    }
    return new Map([...views].sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  const rowsOf = async (model: ReadModel<unknown>) =>
    new Map(
      (await db.query<{ key: string; view: unknown }[]>(`SELECT ${model.keyColumn} AS key, view FROM ${model.table} ORDER BY 1`)).map((r) => [r.key, r.view]),
    );

  beforeAll(async () => {
    eventStore = await createTestEventStore('rebuilder');
    db = eventStore.db;
  });

  afterAll(async () => {
    await eventStore.drop();
  });

  it('keeps the events the live projector applied before the audit worker stored them', async () => {
    const earlier = checkouts(6);
    await store(earlier);
    await projectEvents(db, earlier);
    // The projector is ahead: these are applied, and the audit worker stores them 300 ms later.
    const ahead = checkouts(3);
    await projectEvents(db, ahead);
    const lateAudit = sleep(300).then(() => store(ahead));

    await Promise.all(READ_MODELS.map((model) => rebuildReadModel(db, model)));
    await lateAudit;
    expect([...(await rowsOf(checkoutStatusModel)).keys()]).toEqual(expect.arrayContaining(['r-7', 'r-8', 'r-9']));
    for (const model of READ_MODELS) expect(await rowsOf(model)).toEqual(await foldOfStore(model));
  });

  it('refuses with a clear conflict, changing nothing, when the store does not catch up in time', async () => {
    const ahead = checkouts(1);
    await projectEvents(db, ahead);
    const before = await rowsOf(checkoutStatusModel);
    await expect(rebuildReadModel(db, checkoutStatusModel, { catchUpMs: 100 })).rejects.toMatchObject({
      code: ErrorCode.StoreBehindProjection,
      details: { missing: ahead.length },
    });
    expect(await rowsOf(checkoutStatusModel)).toEqual(before);
    await store(ahead);
  });

  it('waits for a projector transaction in flight instead of deadlocking with it', async () => {
    const events = checkouts(1);
    await store(events);
    await db.query(SLOW_CHECKPOINT);
    await db.query('INSERT INTO test_slow (event_id) VALUES ($1)', [events[0]!.eventId]);
    try {
      const projecting = projectEvents(db, events);
      await eventually(async () =>
        expect(await db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()`)).toHaveLength(1),
      );
      const outcomes = await Promise.allSettled([projecting, rebuildReadModel(db, checkoutStatusModel)]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok']);
      expect(await rowsOf(checkoutStatusModel)).toEqual(await foldOfStore(checkoutStatusModel));
    } finally {
      await db.query('DROP TRIGGER test_slow_checkpoint ON projection_applied');
    }
  });

  it('says where its time went (reading, folding, catching up, writing, the checkpoint), all within its own duration', async () => {
    await store(checkouts(30));
    const report = await rebuildReadModel(db, checkoutStatusModel);
    const { phases } = report;
    expect(Object.keys(phases).sort()).toEqual(['catchUpMs', 'checkpointMs', 'foldMs', 'readMs', 'writeMs']);
    for (const ms of Object.values(phases)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(phases.readMs).toBeGreaterThan(0);
    expect(phases.writeMs).toBeGreaterThan(0);
    expect(Object.values(phases).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(report.seconds * 1_000 + 1);
  });
});
