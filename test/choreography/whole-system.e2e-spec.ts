import pg from 'pg';
import request from 'supertest';
import { STREAMS } from '@app/contracts';
import {
  BOOT_TIMEOUT_MS,
  Choreography,
  ORDER_LIMIT_CENTS,
  Participants,
  ServiceProcess,
  TEST_API_KEY,
  type TestDatabase,
  busEnv,
  createTestDatabase,
  eventually,
  testConfig,
} from '@app/testing';
import { holdingsOf, matchesEnding } from './checkout.invariants.js';

/** Every consumer group of the checkout stream: one per worker, and the checkout app's own status fold. */
const WORKER_GROUPS = [
  'audit',
  'checkout',
  'checkout-deadline',
  'cqrs-projection',
  'notification',
  'order-compensation',
  'order-confirmation',
  'order-creation',
  'payment',
  'stock-compensation',
  'stock-reservation',
];

/**
 * The choreography as users run it: the checkout app takes the request, the nine workers each
 * consume as their own group, the status comes back from the read model the projection worker
 * writes, and the event store holds every event.
 */
describe('the choreographed checkout across the whole system', () => {
  const config = testConfig();
  let db: TestDatabase;
  let participants: Participants;
  let choreography: Choreography;
  const apps: ServiceProcess[] = [];
  let checkout: ServiceProcess;
  let eventStore: ServiceProcess;
  let sql: pg.Client;
  const started = new Map<string, string>();

  const api = (app: ServiceProcess) => ({
    get: (path: string) => request(app.url).get(path).set('X-API-Key', TEST_API_KEY),
    post: (path: string) => request(app.url).post(path).set('X-API-Key', TEST_API_KEY),
  });
  const statusOf = async (checkoutId: string) => (await api(checkout).get(`/checkout/${checkoutId}`).expect(200)).body as Record<string, unknown>;

  beforeAll(async () => {
    participants = await Participants.start({ label: 'whole_system', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    await participants.product('WS-BOOK', 50, 1_500);
    await participants.product('WS-RARE', 1, 900);
    await participants.product('WS-GOLD', 10, ORDER_LIMIT_CENTS);
    choreography = await Choreography.start({ participants, apiKey: TEST_API_KEY, config });
    db = await createTestDatabase('whole_system_store');
    const env = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      ...busEnv(config),
      CHECKOUT_DATABASE_URL: db.url,
      EVENT_STORE_DATABASE_URL: db.url,
      NOTIFICATIONS_DATABASE_URL: db.url,
      CHECKOUT_DEADLINE_DATABASE_URL: db.url,
      STREAM_BLOCK_MS: '200',
      ...participants.urls,
    };
    // Several of them migrate the event store's schema: one at a time, so each finds it as the previous left it.
    for (const name of ['event-store', 'checkout', 'audit-worker', 'cqrs-projection-worker', 'notification-worker', 'checkout-deadline-worker'])
      apps.push(await ServiceProcess.start(name, env));
    [eventStore, checkout] = [apps[0]!, apps[1]!];
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();

    const orders = {
      success: { items: [{ sku: 'WS-BOOK', quantity: 2 }], token: 'tok_visa' },
      outOfStock: { items: [{ sku: 'WS-RARE', quantity: 2 }], token: 'tok_visa' },
      overLimit: { items: [{ sku: 'WS-GOLD', quantity: 2 }], token: 'tok_visa' },
      declined: { items: [{ sku: 'WS-BOOK', quantity: 1 }], token: 'tok_chargeDeclined' },
    };
    for (const [name, { items, token }] of Object.entries(orders)) {
      const res = await api(checkout)
        .post('/checkout/choreo')
        .send({ clientId: `client-${name}`, items, payment: { token } })
        .expect(202);
      expect(res.headers['location']).toBe(`/checkout/${res.body.checkoutId}`);
      started.set(name, res.body.checkoutId as string);
    }
    await eventually(
      async () => {
        for (const id of started.values()) expect((await statusOf(id))['status']).not.toBe('PENDING');
      },
      { timeoutMs: 30_000 },
    );
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await sql?.end();
    await Promise.all(apps.map((app) => app.stop()));
    await choreography?.stop();
    await participants?.stop();
    await db?.drop();
  }, BOOT_TIMEOUT_MS);

  it('ends a success SUCCEEDED with one confirmed order, one authorization and a confirmed reservation', async () => {
    const id = started.get('success')!;
    const status = await statusOf(id);
    expect(status).toMatchObject({ status: 'SUCCEEDED', style: 'choreographed', totalCents: 3_000, orderId: expect.any(String) });
    const holdings = await holdingsOf(participants, id);
    expect(holdings).toMatchObject({
      orders: [{ status: 'CONFIRMED', totalCents: 3_000 }],
      authorization: { status: 'AUTHORIZED', amountCents: 3_000 },
      reservation: 'CONFIRMED',
    });
  });

  it.each([
    ['outOfStock', 'stock', 'INVENTORY.INSUFFICIENT_STOCK', []],
    ['overLimit', 'order', 'ORDERS.OVER_LIMIT', ['StockReleased']],
    ['declined', 'payment', 'PAYMENTS.CARD_DECLINED', ['OrderCancelled', 'StockReleased']],
  ])('ends %s FAILED at the %s step, holding nothing, with its compensations in the replayed timeline', async (name, failedStep, code, compensations) => {
    const id = started.get(name)!;
    expect(await statusOf(id)).toMatchObject({ status: 'FAILED', failedStep, code, compensations });
    expect(matchesEnding('CheckoutFailed', await holdingsOf(participants, id))).toBe(true);
    const replay = (await api(eventStore).get(`/api/event-store/replay/checkout/${id}`).expect(200)).body as { checkout: object; timeline: { type: string }[] };
    expect(replay.checkout).toMatchObject({ status: 'FAILED', failedStep, compensations });
    const types = replay.timeline.map((event) => event.type);
    expect(types[0]).toBe('CheckoutInitiated');
    expect(types.at(-1)).toBe('CheckoutFailed');
    for (const compensation of compensations) expect(types).toContain(compensation);
  });

  it('gives back every unit: stock available again for every failed checkout', async () => {
    expect((await participants.stockOf('WS-RARE')).available).toBe(1);
    expect((await participants.stockOf('WS-GOLD')).available).toBe(10);
    // 2 sold, 1 held then released by the declined checkout.
    expect((await participants.stockOf('WS-BOOK')).available).toBe(48);
  });

  it('has one consumer group per worker on the checkout stream, all caught up', async () => {
    await eventually(async () => {
      const { groups } = await choreography.admin.summary(STREAMS.checkout);
      expect(groups.map((g) => g.name).sort()).toEqual(WORKER_GROUPS);
      expect(groups.filter((g) => g.pending !== 0 || g.lag !== 0)).toEqual([]);
    });
  });

  it('broadcasts: audit stores every event of the stream once, notification records every checkout', async () => {
    const published = new Set((await choreography.stream.all()).map((event) => event.eventId));
    await eventually(async () => {
      const stored = await sql.query<{ event_id: string }>(`SELECT event_id FROM event_store.events WHERE stream = $1`, [STREAMS.checkout]);
      expect(stored.rows.map((r) => r.event_id).sort()).toEqual([...published].sort());
    });
    const notified = await sql.query<{ checkout_id: string; kind: string }>('SELECT checkout_id, kind FROM notification.notifications ORDER BY checkout_id');
    expect(notified.rows.map((r) => r.checkout_id).sort()).toEqual([...started.values()].sort());
  });

  it('rebuilds the checkout read model from the durable store into exactly the live rows', async () => {
    const live = await sql.query('SELECT checkout_id, status, view FROM event_store.checkout_view ORDER BY checkout_id');
    const report = await api(eventStore).post('/api/event-store/projections/checkout-status/rebuild').expect(200);
    expect(report.body).toMatchObject({ events: expect.any(Number), seconds: expect.any(Number) });
    expect(report.body.events).toBeGreaterThan(10);
    const rebuilt = await sql.query('SELECT checkout_id, status, view FROM event_store.checkout_view ORDER BY checkout_id');
    expect(rebuilt.rows).toEqual(live.rows);
    expect(rebuilt.rows).toHaveLength(started.size);
  });
});
