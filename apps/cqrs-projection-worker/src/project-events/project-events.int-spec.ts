import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { type AnyEvent, STREAMS, STREAM_OF, createEnvelope } from '@app/contracts';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE, READ_MODELS, appendEvents, ordersOfClient, rebuildReadModel } from '@app/event-store';
import { EventPublisher, streamGroupStats } from '@app/redis-streams';
import {
  type ChoreographyEnding,
  type TestApp,
  type TestDatabase,
  cartLifecycle,
  choreographedCheckout,
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  interleave,
  orchestratedCheckout,
  seriesValue,
  startTestWorker,
  testConfig,
} from '@app/testing';
import { CQRS_PROJECTION_WORKER, CqrsProjectionWorkerModule } from '../cqrs-projection-worker.module.js';

const ENDINGS: ChoreographyEnding[] = ['succeeded', 'declined', 'out-of-stock', 'over-limit'];

/** Makes the checkpoint insert of the listed events fail, the first `times` times a listed event is written. */
const injectFaults = (times: number) => `
  CREATE SEQUENCE test_fault_attempts;
  CREATE TABLE test_faults (event_id text PRIMARY KEY);
  CREATE FUNCTION test_inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- A sequence, not a table: its count survives the rollback of the failing transaction.
    IF EXISTS (SELECT 1 FROM test_faults WHERE event_id = NEW.event_id) AND nextval('test_fault_attempts') <= ${times} THEN
      RAISE EXCEPTION 'injected fault on %', NEW.event_id;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER test_inject_fault BEFORE INSERT ON projection_applied FOR EACH ROW EXECUTE FUNCTION test_inject_fault();`;

describe('cqrs-projection worker (Redis + PostgreSQL)', () => {
  let testDb: TestDatabase;
  let config: AppConfig;
  let worker: TestApp;
  let publisher: EventPublisher;
  let redis: Redis;
  let store: DataSource;

  const metrics = async () => (await fetch(`${worker.url}/metrics`)).text();
  const caughtUp = async () => {
    const groups = await Promise.all(Object.values(STREAMS).map((s) => streamGroupStats(redis, `${config.REDIS_KEY_PREFIX}${s}`)));
    expect(groups.flat().map((g) => [g.name, g.pending, g.lag])).toEqual(Object.values(STREAMS).map(() => [CQRS_PROJECTION_WORKER.group, 0, 0]));
  };
  // created_at is when a row was first written, the one column a rebuild does not reproduce.
  const rows = async (table: string) =>
    (await store.query<{ created_at?: unknown }[]>(`SELECT * FROM ${table} ORDER BY 1`)).map(({ created_at: _, ...row }) => row);

  beforeAll(async () => {
    testDb = await createTestDatabase('cqrs_projection_worker');
    config = testConfig({ EVENT_STORE_DATABASE_URL: testDb.url, STREAM_BLOCK_MS: 200, STREAM_CLAIM_IDLE_MS: 300, STREAM_CLAIM_INTERVAL_MS: 100 });
    worker = await startTestWorker(CqrsProjectionWorkerModule.register(config), { ...CQRS_PROJECTION_WORKER, config });
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'test' });
    redis = new Redis(config.REDIS_URL);
    store = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
  });

  afterAll(async () => {
    await worker.close();
    await publisher.close();
    await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
    await redis.quit();
    await store.destroy();
    await testDb.drop();
  });

  it('projects every stream exactly once when writes fail mid-batch, and a rebuild from the store yields the same rows', async () => {
    const client = (i: number) => ({ checkoutId: `p-${i}`, clientId: `client-${i % 3}` });
    const choreographed = Array.from({ length: 24 }, (_, i) => choreographedCheckout(ENDINGS[i % 4]!, client(i)));
    const orchestrated = Array.from({ length: 4 }, (_, i) =>
      orchestratedCheckout(i === 3 ? 'declined' : 'succeeded', { ...client(30 + i), sagaId: `saga-${i}` }),
    );
    const carts = Array.from({ length: 3 }, (_, i) => cartLifecycle({ ...client(40 + i), cartId: `cart-${i}` }));
    const events = interleave([...choreographed, ...orchestrated, ...carts]);
    const faulty = [choreographed[0]!.at(-1)!, choreographed[4]!.at(-1)!];
    await store.query(injectFaults(4));
    await store.query('INSERT INTO test_faults (event_id) SELECT unnest($1::text[])', [faulty.map((e) => e.eventId)]);

    await publisher.publishMany(events);
    await publisher.publishMany([events[5]!, events[50]!, ...faulty]);
    await eventually(caughtUp, { timeoutMs: 20_000 });

    const [fired] = await store.query<{ n: string }[]>('SELECT last_value AS n FROM test_fault_attempts');
    expect(Number(fired?.n)).toBeGreaterThanOrEqual(4);
    expect(seriesValue(await metrics(), 'stream_redeliveries_total', { consumer: CQRS_PROJECTION_WORKER.group })).toBeGreaterThan(0);
    // Client i % 3 has the succeeded checkouts i = 0, 4, 8... of the choreography, and sagas 30-32 of the orchestrator.
    const orders = await Promise.all(['client-0', 'client-1', 'client-2'].map((c) => ordersOfClient(store, c)));
    expect(orders.map((r) => [r?.clientId, r?.totalOrders])).toEqual([
      ['client-0', 2 + 1],
      ['client-1', 2 + 1],
      ['client-2', 2 + 1],
    ]);
    const statuses = await store.query<{ checkout_id: string; status: string }[]>('SELECT checkout_id, status FROM checkout_view');
    expect(statuses).toHaveLength(28);
    expect(
      statuses
        .filter((r) => r.status === 'SUCCEEDED')
        .map((r) => r.checkout_id)
        .sort(),
    ).toEqual(['p-0', 'p-4', 'p-8', 'p-12', 'p-16', 'p-20', 'p-30', 'p-31', 'p-32'].sort());
    expect(statuses.filter((r) => r.status === 'PENDING')).toEqual([]);
    const cartsViewed = await store.query<{ view: { status: string; items: unknown } }[]>('SELECT view FROM cart_view');
    expect(cartsViewed.map((r) => [r.view.status, r.view.items])).toEqual(Array(3).fill(['CHECKED_OUT', [{ sku: 'SKU-1', quantity: 2 }]]));

    await store.query('DROP TRIGGER test_inject_fault ON projection_applied');
    const live = { checkouts: await rows('checkout_view'), clients: await rows('client_orders'), carts: await rows('cart_view') };
    await appendEvents(
      store,
      events.map((event: AnyEvent) => ({ stream: STREAM_OF[event.type], event })),
    );
    for (const model of READ_MODELS) await rebuildReadModel(store, model);
    expect({ checkouts: await rows('checkout_view'), clients: await rows('client_orders'), carts: await rows('cart_view') }).toEqual(live);
  }, 40_000);

  it('reports the choreography metrics once per checkout, never for a redelivered or duplicate event', async () => {
    const before = await metrics();
    const checkouts = (['succeeded', 'succeeded', 'succeeded', 'declined', 'declined', 'out-of-stock'] as const).map((ending, i) =>
      choreographedCheckout(ending, { checkoutId: `m-${i}`, clientId: 'mia', stepMs: 100 }),
    );
    await publisher.publishMany(interleave(checkouts));
    const late = createEnvelope(
      'CheckoutFailed',
      { checkoutId: 'm-0', clientId: 'mia', failedStep: 'confirmation', code: 'X', reason: 'late' },
      { correlationId: 'm-0', producer: 'test' },
    );
    await publisher.publishMany([...checkouts.map((events) => events.at(-1)!), checkouts[0]![1]!, late]);
    await eventually(caughtUp, { timeoutMs: 20_000 });

    const after = await metrics();
    const delta = (name: string, labels: Record<string, string>) => (seriesValue(after, name, labels) ?? 0) - (seriesValue(before, name, labels) ?? 0);
    const choreo = { pattern: 'choreographed' };
    expect({
      succeeded: delta('saga_choreo_success_total', {}),
      declined: delta('saga_choreo_failed_total', { reason: 'PAYMENTS.CARD_DECLINED', step: 'payment' }),
      outOfStock: delta('saga_choreo_failed_total', { reason: 'INVENTORY.INSUFFICIENT_STOCK', step: 'stock' }),
      late: delta('saga_choreo_failed_total', { reason: 'X' }),
      durations: [
        delta('checkout_duration_seconds_count', { ...choreo, outcome: 'succeeded' }),
        delta('checkout_duration_seconds_count', { ...choreo, outcome: 'failed' }),
      ],
      succeededSeconds: delta('checkout_duration_seconds_sum', { ...choreo, outcome: 'succeeded' }),
      steps: ['stock', 'order', 'payment', 'confirmation'].map((step) => delta('checkout_step_duration_seconds_count', { ...choreo, step })),
      orchestrated: delta('checkout_duration_seconds_count', { pattern: 'orchestrated' }),
    }).toEqual({ succeeded: 3, declined: 2, outOfStock: 1, late: 0, durations: [3, 3], succeededSeconds: 1.5, steps: [6, 5, 5, 3], orchestrated: 0 });
  }, 30_000);
});
