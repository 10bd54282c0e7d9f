import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import { type AnyEvent, STREAMS, STREAM_OF } from '@app/contracts';
import { EventPublisher, streamGroupStats } from '@app/redis-streams';
import {
  BOOT_TIMEOUT_MS,
  type ChoreographyEnding,
  ServiceProcess,
  TEST_API_KEY,
  type TestDatabase,
  cartLifecycle,
  choreographedCheckout,
  createTestDatabase,
  deleteKeysWithPrefix,
  ensureFreshBuild,
  eventually,
  interleave,
  orchestratedCheckout,
  seriesValue,
  testConfig,
} from '@app/testing';

const ENDINGS: ChoreographyEnding[] = ['succeeded', 'declined', 'out-of-stock', 'over-limit', 'succeeded'];
const CLIENTS = 7;
/** The consumer groups reading each stream: notification only handles checkout outcomes, which both styles publish on the checkout stream. */
const GROUPS_OF: Record<string, string[]> = {
  [STREAMS.checkout]: ['audit', 'cqrs-projection', 'notification'],
  [STREAMS.saga]: ['audit', 'cqrs-projection'],
  [STREAMS.carts]: ['audit', 'cqrs-projection'],
  [STREAMS.shipping]: ['audit', 'cqrs-projection'],
};

interface Load {
  events: AnyEvent[];
  /** Expected outcome of each checkout, and the succeeded ones per client. */
  outcomes: Map<string, 'SUCCEEDED' | 'FAILED'>;
}

/** Checkouts of both styles and carts, as the bus carries them side by side. */
function loadOf(prefix: string, checkouts: number, sagas: number, carts: number): Load {
  const outcomes = new Map<string, 'SUCCEEDED' | 'FAILED'>();
  const ref = (i: number) => ({ checkoutId: `${prefix}-${i}`, clientId: `shopper-${i % CLIENTS}` });
  const sequences = [
    ...Array.from({ length: checkouts }, (_, i) => {
      const ending = ENDINGS[i % ENDINGS.length]!;
      outcomes.set(ref(i).checkoutId, ending === 'succeeded' ? 'SUCCEEDED' : 'FAILED');
      return choreographedCheckout(ending, ref(i));
    }),
    ...Array.from({ length: sagas }, (_, i) => {
      const ending = i % 4 === 3 ? 'declined' : 'succeeded';
      outcomes.set(ref(1_000 + i).checkoutId, ending === 'succeeded' ? 'SUCCEEDED' : 'FAILED');
      return orchestratedCheckout(ending, { ...ref(1_000 + i), sagaId: `${prefix}-saga-${i}` });
    }),
    ...Array.from({ length: carts }, (_, i) => cartLifecycle({ ...ref(2_000 + i), cartId: `${prefix}-cart-${i}` })),
  ];
  return { events: interleave(sequences), outcomes };
}

/**
 * The audit, cqrs-projection and notification workers and the event-store app as production runs
 * them, in processes of their own, fed through the real streams: every group gets every event,
 * crashed workers lose and double-count nothing, rebuilds reproduce the live read models.
 */
describe('event workers across processes', () => {
  let storeDb: TestDatabase;
  let notifyDb: TestDatabase;
  let prefix: string;
  let audit: ServiceProcess;
  let projection: ServiceProcess;
  let notification: ServiceProcess;
  let eventStore: ServiceProcess;
  let publisher: EventPublisher;
  let redis: Redis;
  let storeSql: pg.Pool;
  let notifySql: pg.Pool;

  const api = (path: string) => request(eventStore.url).get(path).set('X-API-Key', TEST_API_KEY);
  const rows = async (table: string) => (await storeSql.query(`SELECT * FROM ${table} ORDER BY 1`)).rows.map(({ created_at: _, ...row }) => row as unknown);
  /** Entries of `group` not yet delivered or acknowledged, over every stream it reads. */
  const backlogOf = async (group: string) => {
    const groups = await Promise.all(Object.values(STREAMS).map((stream) => streamGroupStats(redis, `${prefix}${stream}`)));
    return groups
      .flat()
      .filter((g) => g.name === group)
      .reduce((n, g) => n + g.pending + (g.lag ?? 0), 0);
  };
  /** Every group of every stream caught up, as the event-store app reports them. */
  const caughtUp = async () => {
    const listing = (await api('/api/event-store/streams').expect(200)).body as { stream: string; groups: { name: string; pending: number; lag: number }[] }[];
    expect(listing.map((s) => [s.stream, s.groups.map((g) => [g.name, g.pending, g.lag])])).toEqual(
      Object.values(STREAMS).map((stream) => [stream, GROUPS_OF[stream]!.map((name) => [name, 0, 0])]),
    );
    return listing;
  };

  beforeAll(async () => {
    await ensureFreshBuild();
    [storeDb, notifyDb] = await Promise.all([createTestDatabase('event_workers_store'), createTestDatabase('event_workers_notify')]);
    const config = testConfig();
    prefix = config.REDIS_KEY_PREFIX;
    const env = {
      API_KEYS: TEST_API_KEY,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      EVENT_STORE_DATABASE_URL: storeDb.url,
      NOTIFICATIONS_DATABASE_URL: notifyDb.url,
      STREAM_BLOCK_MS: '200',
      STREAM_CLAIM_IDLE_MS: '1000',
      STREAM_CLAIM_INTERVAL_MS: '250',
      STREAM_RETRY_DELAY_MS: '200',
    };
    // The store's schema is migrated by whichever app starts first; the others find it done.
    eventStore = await ServiceProcess.start('event-store', env);
    [audit, projection, notification] = await Promise.all([
      // Fixed consumer names, as deployments give each instance: restarted, it re-reads its own pending
      // entries first, so each checkout's events are still handled in stream order.
      ServiceProcess.start('audit-worker', { ...env, CONSUMER_NAME: 'audit-e2e' }),
      ServiceProcess.start('cqrs-projection-worker', { ...env, CONSUMER_NAME: 'projection-e2e' }),
      // A new name on each start: what the crashed process held is claimed once idle for STREAM_CLAIM_IDLE_MS.
      ServiceProcess.start('notification-worker', env),
    ]);
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: prefix, producer: 'test' });
    redis = new Redis(config.REDIS_URL);
    storeSql = new pg.Pool({ connectionString: storeDb.url, options: '-c search_path=event_store', max: 2 });
    notifySql = new pg.Pool({ connectionString: notifyDb.url, options: '-c search_path=notification', max: 2 });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([audit, projection, notification, eventStore].map((p) => p?.stop()));
    await publisher?.close();
    if (redis !== undefined) await deleteKeysWithPrefix(redis, prefix);
    await redis?.quit();
    await storeSql?.end();
    await notifySql?.end();
    await Promise.all([storeDb?.drop(), notifyDb?.drop()]);
  });

  it('every group gets every event; workers killed mid-load lose and double-count nothing; rebuilds match the live rows', async () => {
    const first = loadOf('w', 80, 8, 4);
    await publisher.publishMany(first.events);
    await eventually(async () => expect((await storeSql.query('SELECT 1 FROM checkout_view LIMIT 1')).rowCount).toBe(1), { intervalMs: 5 });
    await Promise.all([audit.kill(), projection.kill(), notification.kill()]);
    // The crash really interrupted both: entries were left unread or unacknowledged.
    expect([(await backlogOf('audit')) > 0, (await backlogOf('cqrs-projection')) > 0]).toEqual([true, true]);

    const second = loadOf('x', 20, 4, 2);
    await publisher.publishMany([...second.events, ...first.events.slice(0, 25)]);
    await Promise.all([audit.restart(), projection.restart(), notification.restart()]);
    const listing = await eventually(caughtUp, { timeoutMs: 60_000, intervalMs: 200 });

    const events = [...first.events, ...second.events];
    const outcomes = new Map([...first.outcomes, ...second.outcomes]);
    // Durable store: every event once, positions gap-free, browsable by stream.
    const stored = await storeSql.query<{ event_id: string; global_position: string }>('SELECT event_id, global_position FROM events ORDER BY global_position');
    expect(stored.rows.map((r) => Number(r.global_position))).toEqual(events.map((_, i) => i + 1));
    expect(stored.rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(listing.map((s: { stream: string; storedEvents?: number }) => [s.stream, s.storedEvents])).toEqual(
      Object.values(STREAMS).map((stream) => [stream, events.filter((e) => STREAM_OF[e.type] === stream).length]),
    );
    const page = (await api(`/api/event-store/streams/${STREAMS.saga}/events?after=10&limit=5`).expect(200)).body as { events: { streamPosition: number }[] };
    expect(page.events.map((e) => e.streamPosition)).toEqual([11, 12, 13, 14, 15]);

    // Read models: each checkout's outcome, each client's exact number of orders.
    const views = (await storeSql.query<{ checkout_id: string; status: string }>('SELECT checkout_id, status FROM checkout_view')).rows;
    expect(new Map(views.map((v) => [v.checkout_id, v.status]))).toEqual(outcomes);
    const expectedOrders = new Map<string, number>();
    for (const [checkoutId, status] of outcomes) {
      const client = `shopper-${Number(checkoutId.split('-')[1]) % CLIENTS}`;
      if (status === 'SUCCEEDED') expectedOrders.set(client, (expectedOrders.get(client) ?? 0) + 1);
    }
    const orders = (await storeSql.query<{ client_id: string; n: string }>('SELECT client_id, count(*) AS n FROM client_orders WHERE counted GROUP BY 1')).rows;
    expect(new Map(orders.map((r) => [r.client_id, Number(r.n)]))).toEqual(expectedOrders);
    expect((await api('/api/event-store/cqrs/orders-by-client/shopper-0').expect(200)).body).toMatchObject({
      clientId: 'shopper-0',
      totalOrders: expectedOrders.get('shopper-0'),
    });
    expect(await rows('cart_view')).toHaveLength(6);

    // Notification: one per checkout of either style, whatever the duplicates.
    const notified = (await notifySql.query<{ checkout_id: string; kind: string }>('SELECT checkout_id, kind FROM notifications')).rows;
    expect(notified).toHaveLength(outcomes.size);
    expect(new Map(notified.map((n) => [n.checkout_id, n.kind]))).toEqual(
      new Map([...outcomes].map(([id, status]) => [id, status === 'SUCCEEDED' ? 'checkout_succeeded' : 'checkout_failed'])),
    );

    // Rebuilding each read model from the store reproduces the rows the live projection wrote.
    for (const [name, table] of [
      ['checkout-status', 'checkout_view'],
      ['orders-by-client', 'client_orders'],
      ['cart', 'cart_view'],
    ] as const) {
      const live = await rows(table);
      const report = await request(eventStore.url).post(`/api/event-store/projections/${name}/rebuild`).set('X-API-Key', TEST_API_KEY).expect(200);
      expect(report.body).toMatchObject({ projection: name, events: events.length, rows: live.length, seconds: expect.any(Number) });
      expect(await rows(table)).toEqual(live);
    }
  }, 120_000);

  it('reports the choreography metrics in /metrics once per checkout', async () => {
    const before = await (await fetch(`${projection.url}/metrics`)).text();
    const load = loadOf('y', 10, 0, 0);
    await publisher.publishMany([...load.events, ...load.events.slice(-10)]);
    await eventually(caughtUp, { timeoutMs: 30_000, intervalMs: 200 });

    const after = await (await fetch(`${projection.url}/metrics`)).text();
    const delta = (name: string, labels: Record<string, string> = {}) => (seriesValue(after, name, labels) ?? 0) - (seriesValue(before, name, labels) ?? 0);
    const choreo = { pattern: 'choreographed' };
    // Endings in turn: succeeded, declined, out-of-stock, over-limit, succeeded (twice over).
    expect({
      succeeded: delta('saga_choreo_success_total'),
      failed: [
        delta('saga_choreo_failed_total', { reason: 'PAYMENTS.CARD_DECLINED', step: 'payment' }),
        delta('saga_choreo_failed_total', { reason: 'INVENTORY.INSUFFICIENT_STOCK', step: 'stock' }),
        delta('saga_choreo_failed_total', { reason: 'ORDERS.OVER_LIMIT', step: 'order' }),
      ],
      durations: [
        delta('checkout_duration_seconds_count', { ...choreo, outcome: 'succeeded' }),
        delta('checkout_duration_seconds_count', { ...choreo, outcome: 'failed' }),
      ],
      steps: ['stock', 'order', 'payment', 'confirmation'].map((step) => delta('checkout_step_duration_seconds_count', { ...choreo, step })),
    }).toEqual({ succeeded: 4, failed: [2, 2, 2], durations: [4, 6], steps: [10, 8, 6, 4] });
  }, 60_000);
});
