import request from 'supertest';
import { DataSource } from 'typeorm';
import { type AnyEvent, type SagaState, STREAMS, createEnvelope } from '@app/contracts';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE, appendEvents, projectEvents } from '@app/event-store';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { EventStoreModule } from './event-store.module.js';

describe('event-store app', () => {
  let db: TestDatabase;
  let app: TestApp;
  let store: DataSource;
  const get = (path: string) => request(app.url).get(path).set('X-API-Key', TEST_API_KEY);

  const ref = { checkoutId: 'chk-1', clientId: 'zoe' };
  const ctx = { correlationId: 'chk-1', producer: 'test' };
  const events = [
    createEnvelope('CheckoutInitiated', { ...ref, items: [{ sku: 'A', quantity: 1 }], paymentToken: 'tok_chargeDeclined' }, ctx),
    createEnvelope(
      'StockReserved',
      { ...ref, items: [{ sku: 'A', quantity: 1, unitPriceCents: 250 }], totalCents: 250, paymentToken: 'tok_chargeDeclined' },
      ctx,
    ),
    createEnvelope('OrderCreated', { ...ref, orderId: 'o-1', totalCents: 250, paymentToken: 'tok_chargeDeclined' }, ctx),
    createEnvelope('PaymentFailed', { ...ref, orderId: 'o-1', code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' }, ctx),
    createEnvelope('OrderCancelled', { ...ref, orderId: 'o-1', reason: 'Card declined' }, ctx),
    createEnvelope('StockReleased', { ...ref, failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' }, ctx),
    createEnvelope('CheckoutFailed', { ...ref, failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' }, ctx),
    createEnvelope(
      'CheckoutSucceeded',
      { checkoutId: 'chk-2', clientId: 'zoe', orderId: 'o-2', totalCents: 100 },
      { correlationId: 'chk-2', producer: 'test' },
    ),
  ] as AnyEvent[];
  /** A later saga of zoe's that succeeded, then was compensated by force (POST /api/saga/:id/compensate). */
  const sagaRef = { sagaId: 'chk-3', checkoutId: 'chk-3', clientId: 'zoe', orderId: 'o-3', totalCents: 300 };
  const transition = (from: SagaState, to: SagaState) =>
    createEnvelope('SagaTransitioned', { ...sagaRef, from, to, terminal: to.startsWith('SAGA_') }, { correlationId: 'chk-3', producer: 'saga-orchestrator' });
  const forced = [
    transition('CONFIRMATION_COMMANDE', 'SAGA_TERMINEE'),
    transition('SAGA_TERMINEE', 'COMPENSATION_EN_COURS'),
    transition('COMPENSATION_EN_COURS', 'SAGA_ANNULEE'),
  ] as AnyEvent[];

  beforeAll(async () => {
    db = await createTestDatabase('event_store_app');
    const config = testConfig({ EVENT_STORE_DATABASE_URL: db.url });
    app = await startTestApp(EventStoreModule.register(config));
    store = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
    await appendEvents(
      store,
      events.map((event) => ({ stream: STREAMS.checkout, event })),
    );
    await projectEvents(store, events);
    await appendEvents(
      store,
      forced.map((event) => ({ stream: STREAMS.saga, event })),
    );
    await projectEvents(store, forced);
  });

  afterAll(async () => {
    await store.destroy();
    await app.close();
    await db.drop();
  });

  it('replays a failed checkout with its compensations in the timeline, and 404s an unknown one', async () => {
    const res = await get('/api/event-store/replay/checkout/chk-1').expect(200);
    expect(res.body.checkout).toMatchObject({
      status: 'FAILED',
      failedStep: 'payment',
      code: 'PAYMENTS.CARD_DECLINED',
      compensations: ['OrderCancelled', 'StockReleased'],
    });
    expect(res.body.timeline.map((t: { type: string }) => t.type)).toEqual(events.slice(0, 7).map((e) => e.type));
    await get('/api/event-store/replay/checkout/nope').expect(404);
  });

  it('pages through a stream of the durable store', async () => {
    const first = await get(`/api/event-store/streams/${STREAMS.checkout}/events?limit=5`).expect(200);
    expect(first.body.events.map((e: { streamPosition: number }) => e.streamPosition)).toEqual([1, 2, 3, 4, 5]);
    const rest = await get(`/api/event-store/streams/${STREAMS.checkout}/events?after=${first.body.next}&limit=5`).expect(200);
    expect(rest.body.events.map((e: { event: { type: string } }) => e.event.type)).toEqual(['StockReleased', 'CheckoutFailed', 'CheckoutSucceeded']);
    expect(rest.body.next).toBeNull();
    await get('/api/event-store/streams/other/events').expect(400);
  });

  it('lists the streams with their stored events and groups', async () => {
    const res = await get('/api/event-store/streams').expect(200);
    expect(res.body.find((s: { stream: string }) => s.stream === STREAMS.checkout)).toMatchObject({ storedEvents: 8, groups: [] });
  });

  it('answers orders-by-client without the cancelled orders, and rebuilds it to the same answer', async () => {
    const live = await get('/api/event-store/cqrs/orders-by-client/zoe').expect(200);
    expect(live.body).toEqual({ clientId: 'zoe', totalOrders: 1, lastOrderId: 'o-2', lastCheckoutId: 'chk-2', lastUpdateTs: events[7]!.occurredAt });
    const report = await request(app.url).post('/api/event-store/projections/orders-by-client/rebuild').set('X-API-Key', TEST_API_KEY).expect(200);
    expect(report.body).toMatchObject({ projection: 'orders-by-client', events: 11, rows: 3, seconds: expect.any(Number) });
    expect((await get('/api/event-store/cqrs/orders-by-client/zoe').expect(200)).body).toEqual(live.body);
    await request(app.url).post('/api/event-store/projections/nope/rebuild').set('X-API-Key', TEST_API_KEY).expect(400);
  });
});
