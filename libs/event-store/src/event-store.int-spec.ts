import { type DataSource } from 'typeorm';
import { type AnyEvent, STREAMS, createEnvelope } from '@app/contracts';
import { type TestEventStore, createTestEventStore } from '@app/testing';
import { appendEvents } from './event-store.appender.js';
import { eventsOfCheckout, readAll, readAllForFold, readStream } from './event-store.reader.js';
import { READ_MODELS, checkoutStatusModel, ordersByClientModel } from './read-models/read-model.definitions.js';
import { projectEvents, projectEventsWithChanges } from './read-models/read-model.projector.js';
import { rebuildReadModel } from './read-models/read-model.rebuilder.js';
import { ordersOfClient } from './read-models/client-orders.reader.js';

const checkout = (n: number, client: string, succeed: boolean): AnyEvent[] => {
  const ref = { checkoutId: `c${n}`, clientId: client };
  const ctx = { correlationId: ref.checkoutId, producer: 'test' };
  return [
    createEnvelope('CheckoutInitiated', { ...ref, items: [{ sku: 'A', quantity: 1 }], paymentToken: 'tok_visa' }, ctx),
    createEnvelope('OrderCreated', { ...ref, orderId: `o${n}`, totalCents: 100, paymentToken: 'tok_visa' }, ctx),
    succeed
      ? createEnvelope('CheckoutSucceeded', { ...ref, orderId: `o${n}`, totalCents: 100 }, ctx)
      : createEnvelope('CheckoutFailed', { ...ref, failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'declined' }, ctx),
  ] as AnyEvent[];
};

describe('event store and read models (PostgreSQL)', () => {
  let eventStore: TestEventStore;
  let db: DataSource;
  // created_at is when a row was first written, the one column a rebuild does not reproduce.
  const rows = async (table: string) =>
    (await db.query<{ view: unknown; created_at?: unknown }[]>(`SELECT * FROM ${table} ORDER BY 1`)).map(({ created_at: _, ...row }) => row);

  beforeAll(async () => {
    eventStore = await createTestEventStore('event_store');
    db = eventStore.db;
  });

  afterAll(async () => {
    await eventStore.drop();
  });

  it('appends once per eventId with gap-free stream positions', async () => {
    const events = checkout(1, 'ann', true);
    const first = await appendEvents(
      db,
      events.map((event) => ({ stream: STREAMS.checkout, event })),
    );
    const again = await appendEvents(
      db,
      [...events, ...events].map((event) => ({ stream: STREAMS.checkout, event })),
    );
    expect(first).toEqual({ appended: 3, duplicates: 0 });
    expect(again).toEqual({ appended: 0, duplicates: 6 });
    const stored = await readStream(db, STREAMS.checkout, 0, 100);
    expect(stored.map((s) => s.streamPosition)).toEqual([1, 2, 3]);
    expect(stored.map((s) => s.event)).toEqual(events);
    expect((await eventsOfCheckout(db, 'c1')).map((s) => s.event.type)).toEqual(['CheckoutInitiated', 'OrderCreated', 'CheckoutSucceeded']);
  });

  it('keeps positions gap-free under concurrent appenders', async () => {
    const batches = Array.from({ length: 10 }, (_, i) => checkout(100 + i, 'bob', i % 2 === 0));
    await Promise.all(
      batches.map((events) =>
        appendEvents(
          db,
          events.map((event) => ({ stream: 'concurrent', event })),
        ),
      ),
    );
    const stored = await readStream(db, 'concurrent', 0, 1000);
    expect(stored.map((s) => s.streamPosition)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('projects each event once, and a rebuild from the store yields exactly the live read model', async () => {
    const events = [1, 2, 3, 4, 5, 6].flatMap((n) => checkout(200 + n, n % 2 === 0 ? 'carl' : 'dora', n !== 3));
    await appendEvents(
      db,
      events.map((event) => ({ stream: STREAMS.checkout, event })),
    );
    await db.query('DELETE FROM checkout_view; DELETE FROM client_orders; DELETE FROM projection_applied');
    // Everything stored so far, live, in two overlapping deliveries (a redelivery must change nothing).
    const all = (await readAll(db, 0, 1000)).map((s) => s.event);
    await projectEvents(db, all.slice(0, 30));
    await projectEvents(db, all.slice(20));
    const live = { checkouts: await rows('checkout_view'), clients: await rows('client_orders') };
    expect(live.checkouts).toHaveLength(17);
    expect(await ordersOfClient(db, 'carl')).toMatchObject({ totalOrders: 3, lastCheckoutId: 'c206' });

    const reports = [await rebuildReadModel(db, checkoutStatusModel), await rebuildReadModel(db, ordersByClientModel)];
    expect(reports[0]).toMatchObject({ projection: 'checkout-status', events: all.length, rows: 17 });
    expect(await rows('client_orders')).toEqual(live.clients);
    expect(await rows('checkout_view')).toEqual(live.checkouts);
    expect(READ_MODELS.map((m) => m.name)).toEqual(['checkout-status', 'orders-by-client', 'cart', 'parcels']);
  });

  it('reports the change of each event applied for the first time, and none for a redelivery', async () => {
    const events = checkout(300, 'erin', true);
    const summary = (view: unknown) => {
      const v = view as { status?: string; succeededAt?: string } | undefined;
      return v?.status ?? (v === undefined ? undefined : v.succeededAt !== undefined);
    };
    const statuses = (changes: Awaited<ReturnType<typeof projectEventsWithChanges>>) =>
      changes.map((c) => [c.model, c.key, c.event.type, summary(c.before), summary(c.after)]);

    expect(statuses(await projectEventsWithChanges(db, events))).toEqual([
      ['checkout-status', 'c300', 'CheckoutInitiated', undefined, 'PENDING'],
      ['checkout-status', 'c300', 'OrderCreated', 'PENDING', 'PENDING'],
      ['checkout-status', 'c300', 'CheckoutSucceeded', 'PENDING', 'SUCCEEDED'],
      ['orders-by-client', 'c300', 'CheckoutSucceeded', undefined, true],
    ]);
    const late = checkout(300, 'erin', false)[2]!;
    expect(statuses(await projectEventsWithChanges(db, [...events, late]))).toEqual([['checkout-status', 'c300', 'CheckoutFailed', 'SUCCEEDED', 'SUCCEEDED']]);
  });

  it('keeps global and stream positions gap-free across an append that failed and rolled back', async () => {
    const [good, bad] = [checkout(150, 'fay', true), checkout(151, 'fay', true)];
    // Valid events, then one the database refuses: the whole append rolls back.
    const failing = [
      ...bad.map((event) => ({ stream: 'rollback', event })),
      { stream: 'rollback-z', event: { ...good[0]!, eventId: 'x', occurredAt: 'not a date' } },
    ];
    await expect(appendEvents(db, failing)).rejects.toThrow();
    await appendEvents(
      db,
      good.map((event) => ({ stream: 'rollback', event })),
    );
    const all = await readAll(db, 0, 10_000);
    expect(all.map((s) => s.globalPosition)).toEqual(all.map((_, i) => i + 1));
    expect((await readStream(db, 'rollback', 0, 100)).map((s) => [s.streamPosition, s.event.eventId])).toEqual(good.map((e, i) => [i + 1, e.eventId]));
  });

  it('keeps the trace context each event arrived with, as it arrived, and gives none to an event that had none', async () => {
    const [initiated, ordered, ended] = checkout(900, 'dora', true);
    const traced = { ...initiated!, traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1' } };
    const garbled = { ...ordered!, traceContext: 42 } as unknown as AnyEvent;
    await appendEvents(
      db,
      [traced, garbled, ended!].map((event) => ({ stream: STREAMS.checkout, event })),
    );
    const stored = (await eventsOfCheckout(db, 'c900')).map((s) => s.event);
    expect(stored).toEqual([traced, garbled, ended]);
    expect(stored[2]).not.toHaveProperty('traceContext');
  });

  it('hands a fold every event after a position, in order, as it was published but for its trace context', async () => {
    const before = await readAll(db, 0, 100_000);
    const after = before[before.length - 1]!.globalPosition;
    const [initiated, ordered, ended] = checkout(950, 'eve', true);
    // Times the fold reader formats in SQL: a leap day before noon, a year's last millisecond, a round second.
    const times = ['2028-02-29T09:05:03.007Z', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z'];
    const published = [initiated!, ordered!, ended!].map((event, i) => ({ ...event, occurredAt: times[i]! }));
    const traced = { ...published[0]!, traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } };
    await appendEvents(
      db,
      [traced, published[1]!, published[2]!].map((event) => ({ stream: STREAMS.checkout, event })),
    );
    const folded = await readAllForFold(db, after, 2);
    const rest = await readAllForFold(db, folded[folded.length - 1]!.globalPosition, 10);
    expect([...folded, ...rest].map((e) => e.event)).toEqual(published);
    expect([...folded, ...rest].map((e) => e.globalPosition)).toEqual([after + 1, after + 2, after + 3]);
    // What the full reader gives, less the trace context.
    const full = (await readAll(db, after, 10)).map(({ event: { traceContext: _, ...event } }) => event);
    expect(full).toEqual(published);
  });
});
