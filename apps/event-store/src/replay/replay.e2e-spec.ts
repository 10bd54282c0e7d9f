import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { STREAM_OF } from '@app/contracts';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE, appendEvents, projectEvents } from '@app/event-store';
import {
  TEST_API_KEY,
  type TestApp,
  type TestDatabase,
  cartLifecycle,
  choreographedCheckout,
  createTestDatabase,
  orchestratedCheckout,
  startTestApp,
  testConfig,
} from '@app/testing';
import { EventStoreModule } from '../event-store.module.js';

describe('event-store app: replay of both styles and of carts', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: TestApp;
  let store: DataSource;
  let redis: Redis;
  const get = (path: string) => request(app.url).get(path).set('X-API-Key', TEST_API_KEY);

  const saga = orchestratedCheckout('declined', { checkoutId: 'chk-o', clientId: 'ola', sagaId: 'saga-o' });
  const cart = cartLifecycle({ cartId: 'cart-1', clientId: 'ola', checkoutId: 'chk-c' });
  const fromCart = choreographedCheckout('succeeded', { checkoutId: 'chk-c', clientId: 'ola' });

  /** Everything replay could touch: the store, the read models, the bus. */
  const snapshot = async () => ({
    tables: await Promise.all(
      ['events', 'stream_heads', 'checkout_view', 'client_orders', 'cart_view', 'projection_applied'].map((t) =>
        store.query(`SELECT * FROM ${t} ORDER BY 1, 2`),
      ),
    ),
    bus: await redis.keys(`${config.REDIS_KEY_PREFIX}*`),
  });

  beforeAll(async () => {
    db = await createTestDatabase('event_store_replay');
    config = testConfig({ EVENT_STORE_DATABASE_URL: db.url });
    app = await startTestApp(EventStoreModule.register(config));
    store = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
    redis = new Redis(config.REDIS_URL);
    const events = [...saga, ...cart, ...fromCart];
    await appendEvents(
      store,
      events.map((event) => ({ stream: STREAM_OF[event.type], event })),
    );
    await projectEvents(store, events);
  });

  afterAll(async () => {
    await redis.quit();
    await store.destroy();
    await app.close();
    await db.drop();
  });

  it('replays an orchestrated checkout by its checkoutId or its sagaId, with every transition in the timeline', async () => {
    const byCheckout = (await get('/api/event-store/replay/checkout/chk-o').expect(200)).body;
    expect(byCheckout.checkout).toMatchObject({
      style: 'orchestrated',
      status: 'FAILED',
      sagaId: 'saga-o',
      sagaState: 'SAGA_ANNULEE',
      failedStep: 'payment',
      code: 'PAYMENTS.CARD_DECLINED',
      compensations: ['COMPENSATION_EN_COURS'],
    });
    expect(byCheckout.timeline.map((t: { transition: string }) => t.transition)).toEqual(
      saga.map((e) => (e.type === 'SagaTransitioned' ? `${e.payload.from} -> ${e.payload.to}` : undefined)),
    );
    expect(byCheckout.events).toBe(saga.length);
    expect((await get('/api/event-store/replay/checkout/saga-o').expect(200)).body).toEqual(byCheckout);
  });

  it('replays a checkout started from a cart, and the cart itself', async () => {
    const checkout = (await get('/api/event-store/replay/checkout/chk-c').expect(200)).body;
    expect(checkout.checkout).toMatchObject({ style: 'choreographed', status: 'SUCCEEDED', orderId: 'order-chk-c', startedAt: fromCart[0]!.occurredAt });
    expect(checkout.timeline.map((t: { type: string }) => t.type)).toEqual(['CartCheckedOut', ...fromCart.map((e) => e.type)]);

    const replayed = (await get('/api/event-store/replay/cart/cart-1').expect(200)).body;
    expect(replayed).toEqual({
      cart: {
        cartId: 'cart-1',
        clientId: 'ola',
        status: 'CHECKED_OUT',
        items: [{ sku: 'SKU-1', quantity: 2 }],
        checkoutId: 'chk-c',
        mode: 'choreographed',
        version: 6,
        updatedAt: cart.at(-1)!.occurredAt,
      },
      events: 6,
    });
    await get('/api/event-store/replay/cart/nope').expect(404);
    await get('/api/event-store/replay/cart/bad%20id').expect(400);
  });

  it('has no side effect: the store, the read models and the bus are as they were', async () => {
    const before = await snapshot();
    await Promise.all(['checkout/chk-o', 'checkout/saga-o', 'checkout/chk-c', 'cart/cart-1'].map((path) => get(`/api/event-store/replay/${path}`).expect(200)));
    expect(await snapshot()).toEqual(before);
    expect(before.bus).toEqual([]);
  });
});
