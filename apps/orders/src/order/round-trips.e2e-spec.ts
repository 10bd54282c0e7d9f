import request from 'supertest';
import { DataSource } from 'typeorm';
import { type RoundTrips, TEST_API_KEY, type TestApp, type TestDatabase, countRoundTrips, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { OrdersModule } from '../orders.module.js';

/** Every step and compensation of a checkout is one database round trip, whatever it finds. */
describe('orders: one database round trip per step', () => {
  let db: TestDatabase;
  let orders: TestApp;
  let trips: RoundTrips;
  const post = (path: string, body?: object) => request(orders.url).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const order = (checkoutId: string, unitPriceCents = 100) => ({ checkoutId, clientId: 'client-1', items: [{ sku: 'A-1', quantity: 2, unitPriceCents }] });

  beforeAll(async () => {
    db = await createTestDatabase('orders_round_trips');
    orders = await startTestApp(OrdersModule.register(testConfig({ ORDERS_DATABASE_URL: db.url, ORDER_MAX_TOTAL_CENTS: 10_000 })));
    trips = countRoundTrips(orders.app.get(DataSource));
  });

  afterAll(async () => {
    await orders.close();
    await db.drop();
  });

  it('places, confirms and cancels in one round trip each, first time or repeated', async () => {
    const { orderId: first } = (await post('/orders', order('rt-0')).expect(201)).body as { orderId: string };
    const id = async (checkoutId: string) => ((await post('/orders', order(checkoutId)).expect(201)).body as { orderId: string }).orderId;
    const steps: [step: string, status: number, path: () => string | Promise<string>, body?: object][] = [
      ['place', 201, () => '/orders', order('rt-1')],
      ['place again', 201, () => '/orders', order('rt-1')],
      ['place over the limit', 422, () => '/orders', order('rt-2', 9_000)],
      ['place over the limit again', 422, () => '/orders', order('rt-2')],
      ['confirm', 200, () => `/orders/${first}/confirm`],
      ['confirm again', 200, () => `/orders/${first}/confirm`],
      ['cancel by checkout unless confirmed, when confirmed', 409, () => '/orders/by-checkout/rt-0/cancel', { unlessConfirmed: true }],
      ['cancel by checkout', 200, () => '/orders/by-checkout/rt-1/cancel'],
      ['cancel by checkout again', 200, () => '/orders/by-checkout/rt-1/cancel'],
      ['cancel before the create', 200, () => '/orders/by-checkout/rt-3/cancel'],
      ['place after the tombstone', 409, () => '/orders', order('rt-3')],
      ['cancel by id', 200, async () => `/orders/${await id('rt-4')}/cancel`],
      ['confirm a cancelled order', 409, async () => `/orders/${await id('rt-4')}/confirm`],
      ['confirm a missing order', 404, () => '/orders/00000000-0000-4000-8000-000000000000/confirm'],
    ];
    const counts: Record<string, number> = {};
    for (const [step, status, pathOf, body] of steps) {
      const path = await pathOf();
      trips.reset();
      await post(path, body).expect(status);
      counts[step] = trips.count;
    }
    expect(counts).toEqual(Object.fromEntries(steps.map(([step]) => [step, 1])));
  });
});
