import pg from 'pg';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { type AnyEvent, type EventMap, type EventType, createEnvelope, deterministicEventId } from '@app/contracts';
import { type EventBus, createEventBus } from '@app/bus';
import {
  BOOT_TIMEOUT_MS,
  CheckoutStream,
  Participants,
  TEST_API_KEY,
  type TestApp,
  type TestDatabase,
  createTestDatabase,
  deleteStreamsWithPrefix,
  eventually,
  startTestApp,
  startTestWorker,
  testConfig,
} from '@app/testing';
import { CHECKOUT_DEADLINE_WORKER, CheckoutDeadlineWorkerModule } from '../../apps/checkout-deadline-worker/src/checkout-deadline-worker.module.js';
import { CheckoutModule } from '../../apps/checkout/src/checkout.module.js';

const DEADLINE_MS = 300;
const PRICE = 700;

/** How far a stuck checkout got before the choreography stopped: the effects its workers had, and the events the read model saw. */
type Progress = 'initiated' | 'authorized' | 'confirmed';

/**
 * The deadline of the choreography against the real participants, the checkout-deadline worker
 * behind the checkout app's routes. No saga worker runs: a test plays the part of those that did run
 * (their effects on the participants, their events on the bus), and the checkout then waits
 * forever, as when a worker is down.
 */
describe('checkout-deadline worker: detection and compensation of stuck choreographed checkouts', () => {
  let participants: Participants;
  const databases: TestDatabase[] = [];
  const apps: TestApp[] = [];
  const publishers = new Map<string, EventBus>();
  const streams = new Map<string, CheckoutStream>();
  const configs: AppConfig[] = [];
  const pools = new Map<string, pg.Pool>();

  const api = (app: TestApp) => request(app.url);
  const key = (req: request.Test) => req.set('X-API-Key', TEST_API_KEY);
  const participant = (url: string) => ({ post: (path: string, body?: object) => key(request(url).post(path)).send(body) });

  /** The deadline worker, and the checkout app in front of it: `app` is where clients call, `worker` where the metrics are. */
  async function startApp(label: string, autoCompensate: boolean): Promise<{ app: TestApp; worker: TestApp; config: AppConfig; sql: pg.Pool }> {
    const db = await createTestDatabase(label);
    databases.push(db);
    const config = testConfig({
      CHECKOUT_DATABASE_URL: db.url,
      CHECKOUT_DEADLINE_DATABASE_URL: db.url,
      ...participants.urls,
      CHECKOUT_DEADLINE_MS: DEADLINE_MS,
      CHECKOUT_STUCK_SCAN_INTERVAL_MS: 100,
      CHECKOUT_AUTO_COMPENSATE: autoCompensate,
      PARTICIPANT_RETRIES: 1,
      STREAM_BLOCK_MS: 200,
    });
    const worker = await startTestWorker(CheckoutDeadlineWorkerModule.register(config), { ...CHECKOUT_DEADLINE_WORKER, config });
    const app = await startTestApp(CheckoutModule.register({ ...config, CHECKOUT_DEADLINE_WORKER_URL: worker.url }), 'checkout');
    apps.push(app, worker);
    publishers.set(config.REDIS_KEY_PREFIX, await createEventBus(config, 'test'));
    streams.set(config.REDIS_KEY_PREFIX, CheckoutStream.of(config));
    configs.push(config);
    const sql = new pg.Pool({ connectionString: db.url, max: 2 });
    pools.set(config.REDIS_KEY_PREFIX, sql);
    return { app, worker, config, sql };
  }

  /** Puts events on the bus as the saga workers would have. */
  const publish = async (config: AppConfig, events: AnyEvent[]) => {
    await publishers.get(config.REDIS_KEY_PREFIX)!.publishMany(events);
  };

  /** Accepts a checkout, plays the workers up to `progress`, and returns it with its CheckoutInitiated. */
  async function stuckCheckout(app: TestApp, config: AppConfig, sku: string, progress: Progress) {
    await participants.product(sku, 5, PRICE);
    const items = [{ sku, quantity: 2 }];
    const { checkoutId } = (
      await key(api(app).post('/checkout/choreo'))
        .send({ clientId: 'zed', items, payment: { token: 'tok_visa' } })
        .expect(202)
    ).body;
    const initiated = await eventually(async () => {
      const found = (await eventsOf(config, checkoutId)).find((e) => e.type === 'CheckoutInitiated');
      expect(found).toBeDefined();
      return found!;
    });
    const ref = { checkoutId, clientId: 'zed' };
    const seen: AnyEvent[] = [initiated];
    const saw = <T extends EventType>(type: T, payload: EventMap[T]) =>
      seen.push(createEnvelope(type, payload, { correlationId: checkoutId, producer: 'test' }) as AnyEvent);
    let orderId: string | undefined;
    if (progress !== 'initiated') {
      await participants.reserve(checkoutId, items);
      saw('StockReserved', { ...ref, items: [{ sku, quantity: 2, unitPriceCents: PRICE }], totalCents: 2 * PRICE, paymentToken: 'tok_visa' });
      orderId = (
        await participant(participants.orders.url)
          .post('/orders', { ...ref, items: [{ sku, quantity: 2, unitPriceCents: PRICE }] })
          .expect(201)
      ).body.orderId;
      saw('OrderCreated', { ...ref, orderId: orderId!, totalCents: 2 * PRICE, paymentToken: 'tok_visa' });
      await participant(participants.payments.url)
        .post('/payments/authorizations', { checkoutId, amountCents: 2 * PRICE, token: 'tok_visa' })
        .expect(201);
      saw('PaymentAuthorized', { ...ref, orderId: orderId!, amountCents: 2 * PRICE });
    }
    if (progress === 'confirmed') {
      // The confirmation worker confirmed, then died before publishing: the checkout did succeed.
      await participant(participants.inventory.url).post(`/inventory/reservations/${checkoutId}/confirm`).expect(200);
      await participant(participants.orders.url).post(`/orders/${orderId}/confirm`).expect(200);
    }
    await publish(config, seen.slice(1));
    // The deadline decides from what the worker consumed: the test goes on once it has all of it.
    await eventually(async () => {
      const { rows } = await pools
        .get(config.REDIS_KEY_PREFIX)!
        .query(`SELECT view->>'lastEventType' AS last FROM checkout_deadline.checkout_view WHERE checkout_id = $1`, [checkoutId]);
      expect(rows).toEqual([{ last: seen.at(-1)!.type }]);
    });
    return { checkoutId: checkoutId as string, initiated, orderId };
  }

  const eventsOf = async (config: AppConfig, checkoutId: string): Promise<AnyEvent[]> =>
    (await streams.get(config.REDIS_KEY_PREFIX)!.eventsOf(checkoutId))
      // What the test published in the saga workers' place is left out: the checkout's own events remain.
      .filter((e) => e.correlationId === checkoutId && e.producer !== 'test');
  const stuckIds = async (app: TestApp) => (await key(api(app).get('/checkout/stuck')).expect(200)).body.items.map((s: { checkoutId: string }) => s.checkoutId);
  const metric = async (app: TestApp, name: string) => {
    const line = (await api(app).get('/metrics').expect(200)).text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  beforeAll(async () => {
    participants = await Participants.start({ label: 'checkout_deadline', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const publisher of publishers.values()) await publisher.close();
    for (const stream of streams.values()) await stream.close();
    for (const config of configs) await deleteStreamsWithPrefix(config.NATS_URL, config.NATS_PREFIX);
    await participants?.stop();
    await Promise.all(databases.map((db) => db?.drop()));
  }, BOOT_TIMEOUT_MS);

  describe('reported, then compensated on request (CHECKOUT_AUTO_COMPENSATE=false)', () => {
    let app: TestApp;
    let worker: TestApp;
    let config: AppConfig;
    let sql: pg.Pool;

    beforeAll(async () => {
      ({ app, worker, config, sql } = await startApp('checkout_deadline_manual', false));
    });

    afterAll(async () => {
      await sql?.end();
    });

    it('lists a checkout with no terminal event past the deadline, counts it once, and leaves an ended one alone', async () => {
      const stuck = await stuckCheckout(app, config, 'DL-1', 'authorized');
      const ended = await stuckCheckout(app, config, 'DL-2', 'initiated');
      await publish(config, [
        createEnvelope(
          'CheckoutSucceeded',
          { checkoutId: ended.checkoutId, clientId: 'zed', orderId: 'o-x', totalCents: 1 },
          { correlationId: ended.checkoutId, producer: 'test' },
        ),
      ] as AnyEvent[]);

      const listed = await eventually(async () => {
        const items = (await key(api(app).get('/checkout/stuck')).expect(200)).body.items as { checkoutId: string; ageMs: number; lastEventType: string }[];
        const mine = items.find((s) => s.checkoutId === stuck.checkoutId);
        // Its events may be folded over several batches: listed once watched, it shows its last event once that is folded.
        expect(mine).toMatchObject({ clientId: 'zed', lastEventType: 'PaymentAuthorized', acceptedAt: expect.any(String), stuckSince: expect.any(String) });
        return mine!;
      });
      expect(listed.ageMs).toBeGreaterThanOrEqual(DEADLINE_MS);
      await eventually(async () => {
        const [row] = (await sql.query('SELECT settled_status FROM checkout_deadline.watched_checkouts WHERE checkout_id = $1', [ended.checkoutId])).rows;
        expect(row).toEqual({ settled_status: 'SUCCEEDED' });
      });
      expect(await stuckIds(app)).not.toContain(ended.checkoutId);
      expect(await metric(worker, 'choreo_checkouts_stuck_total')).toBeGreaterThanOrEqual(1);
      expect(await metric(worker, 'choreo_checkouts_stuck')).toBeGreaterThanOrEqual(1);
      // Scans go on every 100 ms: by the time a later checkout is stuck, the first has been seen many times, and counted once.
      const counted = await metric(worker, 'choreo_checkouts_stuck_total');
      const later = await stuckCheckout(app, config, 'DL-6', 'initiated');
      await eventually(async () => expect(await stuckIds(app)).toEqual(expect.arrayContaining([stuck.checkoutId, later.checkoutId])));
      expect(await metric(worker, 'choreo_checkouts_stuck_total')).toBe(counted! + 1);
      expect(await metric(worker, 'choreo_checkouts_stuck')).toBeGreaterThanOrEqual(2);
      // Not compensated on its own: its order is still live.
      expect(await participants.ordersOf(stuck.checkoutId)).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    });

    it('compensates on request: order cancelled, authorization voided, stock released, and the three events with the ids the workers would use', async () => {
      const { checkoutId, initiated, orderId } = await stuckCheckout(app, config, 'DL-3', 'authorized');
      await eventually(async () => expect(await stuckIds(app)).toContain(checkoutId));
      expect(await participants.stockOf('DL-3')).toMatchObject({ available: 3, reserved: 2 });

      const res = await key(api(app).post(`/checkout/${checkoutId}/compensate`)).expect(200);
      const cancelledId = deterministicEventId(initiated.eventId, 'OrderCancelled');
      const ids = [cancelledId, deterministicEventId(cancelledId, 'StockReleased'), deterministicEventId(cancelledId, 'CheckoutFailed')];
      expect(res.body).toMatchObject({
        checkoutId,
        status: 'COMPENSATED',
        failedStep: 'confirmation',
        code: 'CHECKOUT.DEADLINE_EXCEEDED',
        orderId,
        eventIds: ids,
      });
      expect(await participants.ordersOf(checkoutId)).toEqual([expect.objectContaining({ orderId, status: 'CANCELLED' })]);
      expect(await participants.authorizationOf(checkoutId)).toMatchObject({ status: 'VOIDED' });
      expect(await participants.reservationOf(checkoutId)).toMatchObject({ status: 'RELEASED' });
      expect(await participants.stockOf('DL-3')).toMatchObject({ available: 5, reserved: 0 });

      const published = await eventually(async () => {
        const compensation = (await eventsOf(config, checkoutId)).filter((e) => e.type !== 'CheckoutInitiated');
        expect(compensation).toHaveLength(3);
        return compensation;
      });
      const failure = { failedStep: 'confirmation', code: 'CHECKOUT.DEADLINE_EXCEEDED', reason: expect.stringContaining('PaymentAuthorized') };
      expect(published).toEqual([
        expect.objectContaining({
          type: 'OrderCancelled',
          eventId: ids[0],
          causationId: initiated.eventId,
          payload: expect.objectContaining({ orderId, ...failure }),
        }),
        expect.objectContaining({ type: 'StockReleased', eventId: ids[1], causationId: cancelledId, payload: expect.objectContaining(failure) }),
        expect.objectContaining({ type: 'CheckoutFailed', eventId: ids[2], causationId: cancelledId, payload: expect.objectContaining(failure) }),
      ]);

      // Compensating again answers the same and publishes nothing more; the checkout is no longer stuck.
      expect((await key(api(app).post(`/checkout/${checkoutId}/compensate`)).expect(200)).body).toEqual(res.body);
      expect(await stuckIds(app)).not.toContain(checkoutId);
      const [row] = (await sql.query('SELECT compensated_at FROM checkout_deadline.watched_checkouts WHERE checkout_id = $1', [checkoutId])).rows;
      expect(row.compensated_at).toBeInstanceOf(Date);
      await key(api(app).post('/checkout/00000000-0000-4000-8000-000000000000/compensate')).expect(404);
      expect(await eventsOf(config, checkoutId)).toHaveLength(4);
    });

    it('without an order, releases the stock and fails the checkout with ids derived from the CheckoutInitiated', async () => {
      const { checkoutId, initiated } = await stuckCheckout(app, config, 'DL-4', 'initiated');
      const res = await key(api(app).post(`/checkout/${checkoutId}/compensate`)).expect(200);
      expect(res.body).toMatchObject({
        failedStep: 'stock',
        eventIds: [deterministicEventId(initiated.eventId, 'StockReleased'), deterministicEventId(initiated.eventId, 'CheckoutFailed')],
      });
      expect(res.body.orderId).toBeUndefined();
      const published = await eventually(async () => {
        const compensation = (await eventsOf(config, checkoutId)).filter((e) => e.type !== 'CheckoutInitiated');
        expect(compensation).toHaveLength(2);
        return compensation;
      });
      expect(published.map((e) => [e.type, e.causationId])).toEqual([
        ['StockReleased', initiated.eventId],
        ['CheckoutFailed', initiated.eventId],
      ]);
      // The tombstones refuse a worker that would come late.
      await participant(participants.orders.url)
        .post('/orders', { checkoutId, clientId: 'zed', items: [{ sku: 'DL-4', quantity: 2, unitPriceCents: PRICE }] })
        .expect(409);
      await participant(participants.inventory.url)
        .post('/inventory/reservations', { checkoutId, items: [{ sku: 'DL-4', quantity: 2 }] })
        .expect(409);
    });

    it('never compensates a checkout whose order is confirmed: it publishes the success that was lost instead', async () => {
      const { checkoutId } = await stuckCheckout(app, config, 'DL-5', 'confirmed');
      await eventually(async () => expect(await stuckIds(app)).toContain(checkoutId));
      const refused = await key(api(app).post(`/checkout/${checkoutId}/compensate`)).expect(409);
      expect(refused.body).toMatchObject({ code: 'ORDERS.ORDER_CONFIRMED', checkoutId });
      expect(await participants.ordersOf(checkoutId)).toEqual([expect.objectContaining({ status: 'CONFIRMED' })]);
      expect(await participants.authorizationOf(checkoutId)).toMatchObject({ status: 'AUTHORIZED' });
      expect(await participants.reservationOf(checkoutId)).toMatchObject({ status: 'CONFIRMED' });
      const events = await eventually(async () => {
        const found = await eventsOf(config, checkoutId);
        expect(found.map((e) => e.type)).toEqual(['CheckoutInitiated', 'OrderConfirmed', 'CheckoutSucceeded']);
        return found;
      });
      expect(events[2]?.payload).toEqual({ checkoutId, clientId: 'zed', orderId: expect.any(String), totalCents: 2 * PRICE });
      // Asked again, it queues the very same events (same ids), which the event store deduplicates.
      await key(api(app).post(`/checkout/${checkoutId}/compensate`)).expect(409);
      await eventually(async () => {
        const again = await eventsOf(config, checkoutId);
        expect(new Set(again.map((e) => e.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
      });
      // The refusal is kept; the success it published, once consumed, ends the checkout: it is stuck no more.
      await eventually(async () => {
        const { rows } = await sql.query('SELECT compensation_refused, settled_status FROM checkout_deadline.watched_checkouts WHERE checkout_id = $1', [
          checkoutId,
        ]);
        expect(rows).toEqual([{ compensation_refused: 'ORDERS.ORDER_CONFIRMED', settled_status: 'SUCCEEDED' }]);
      });
      expect(await stuckIds(app)).not.toContain(checkoutId);
    });
  });

  describe('compensated at the deadline (CHECKOUT_AUTO_COMPENSATE=true)', () => {
    it('compensates a stuck checkout on its own, but not one whose order is confirmed', async () => {
      const { app, config, sql } = await startApp('checkout_deadline_auto', true);
      try {
        const [stuck, confirmed] = [await stuckCheckout(app, config, 'AU-1', 'authorized'), await stuckCheckout(app, config, 'AU-2', 'confirmed')];
        await eventually(
          async () => {
            const rows = (
              await sql.query('SELECT checkout_id, compensated_at, compensation_refused FROM checkout_deadline.watched_checkouts ORDER BY accepted_at')
            ).rows;
            expect(rows).toEqual([
              { checkout_id: stuck.checkoutId, compensated_at: expect.any(Date), compensation_refused: null },
              { checkout_id: confirmed.checkoutId, compensated_at: null, compensation_refused: 'ORDERS.ORDER_CONFIRMED' },
            ]);
          },
          { timeoutMs: 15_000 },
        );
        expect(await participants.ordersOf(stuck.checkoutId)).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);
        expect(await participants.authorizationOf(stuck.checkoutId)).toMatchObject({ status: 'VOIDED' });
        expect(await participants.stockOf('AU-1')).toMatchObject({ available: 5, reserved: 0 });
        await eventually(async () =>
          expect((await eventsOf(config, stuck.checkoutId)).map((e) => e.type)).toEqual([
            'CheckoutInitiated',
            'OrderCancelled',
            'StockReleased',
            'CheckoutFailed',
          ]),
        );
        expect(await participants.ordersOf(confirmed.checkoutId)).toEqual([expect.objectContaining({ status: 'CONFIRMED' })]);
        expect(await participants.stockOf('AU-2')).toMatchObject({ available: 3, reserved: 0 });
        // The confirmed one ends with the success the worker published in its place.
        await eventually(async () => expect(await stuckIds(app)).toEqual([]));
      } finally {
        await sql.end();
      }
      // It starts its own apps and waits up to 15 s for the compensation: Jest's 5 s default is too short for it.
    }, 60_000);
  });
});
