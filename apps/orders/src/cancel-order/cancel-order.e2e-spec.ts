import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { OrdersModule } from '../orders.module.js';

describe('orders: confirm, cancel and cancel by checkout', () => {
  let db: TestDatabase;
  let orders: TestApp;
  const post = (path: string, body?: object) => request(orders.url).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const rows = (sql: string, params: unknown[] = []) => orders.app.get(DataSource).query<Record<string, unknown>[]>(sql, params);
  const statusOf = async (checkoutId: string) => (await rows('SELECT status FROM orders.orders WHERE checkout_id = $1', [checkoutId]))[0]?.['status'];
  const orderFor = (checkoutId: string) => ({ checkoutId, clientId: 'client-1', items: [{ sku: 'A-1', quantity: 1, unitPriceCents: 500 }] });
  const place = async (checkoutId: string) => (await post('/orders', orderFor(checkoutId)).expect(201)).body as { orderId: string };

  beforeAll(async () => {
    db = await createTestDatabase('orders_cancel');
    orders = await startTestApp(OrdersModule.register(testConfig({ ORDERS_DATABASE_URL: db.url })));
  });

  afterAll(async () => {
    await orders.close();
    await db.drop();
  });

  it('confirms a PENDING order, and a repeat answers the same', async () => {
    const { orderId } = await place('k-1');
    const confirmed = await post(`/orders/${orderId}/confirm`).expect(200);
    expect(confirmed.body).toEqual({
      orderId,
      checkoutId: 'k-1',
      clientId: 'client-1',
      status: 'CONFIRMED',
      items: [{ sku: 'A-1', quantity: 1, unitPriceCents: 500 }],
      totalCents: 500,
    });
    await post(`/orders/${orderId}/confirm`).expect(200, confirmed.body);
    expect(await statusOf('k-1')).toBe('CONFIRMED');
  });

  it('cancels a PENDING order, repeatedly, and then refuses to confirm it with 409', async () => {
    const { orderId } = await place('k-2');
    const cancelled = await post(`/orders/${orderId}/cancel`).expect(200);
    expect(cancelled.body).toMatchObject({ orderId, status: 'CANCELLED' });
    await post(`/orders/${orderId}/cancel`).expect(200, cancelled.body);
    const refused = await post(`/orders/${orderId}/confirm`).expect(409);
    expect(refused.body).toMatchObject({ code: 'ORDERS.ORDER_CANCELLED', orderId });
    expect(await statusOf('k-2')).toBe('CANCELLED');
  });

  it('cancels a CONFIRMED order (an operator force-compensating a finished saga)', async () => {
    const { orderId } = await place('k-3');
    await post(`/orders/${orderId}/confirm`).expect(200);
    await post(`/orders/${orderId}/cancel`).expect(200);
    expect(await statusOf('k-3')).toBe('CANCELLED');
  });

  it('answers 404 for an unknown order', async () => {
    const id = randomUUID();
    for (const action of ['confirm', 'cancel']) {
      const res = await post(`/orders/${id}/${action}`).expect(404);
      expect(res.body).toMatchObject({ code: 'ORDERS.ORDER_NOT_FOUND', orderId: id });
    }
  });

  it("cancels by checkout the checkout's order", async () => {
    const { orderId } = await place('k-4');
    const res = await post('/orders/by-checkout/k-4/cancel').expect(200);
    expect(res.body).toMatchObject({ orderId, checkoutId: 'k-4', status: 'CANCELLED' });
    await post('/orders/by-checkout/k-4/cancel').expect(200, res.body);
    expect(await rows('SELECT count(*)::int AS n FROM orders.cancelled_checkouts WHERE checkout_id = $1', ['k-4'])).toEqual([{ n: 0 }]);
  });

  it('leaves a tombstone when the cancel overtakes the create, so the late create is refused with 409', async () => {
    await post('/orders/by-checkout/k-5/cancel').expect(200, { checkoutId: 'k-5', status: 'CANCELLED' });
    await post('/orders/by-checkout/k-5/cancel').expect(200, { checkoutId: 'k-5', status: 'CANCELLED' });
    const late = await post('/orders', orderFor('k-5')).expect(409);
    expect(late.body).toMatchObject({ code: 'ORDERS.ORDER_CANCELLED', checkoutId: 'k-5' });
    await post('/orders', orderFor('k-5')).expect(409);
    expect(await rows('SELECT count(*)::int AS n FROM orders.orders WHERE checkout_id = $1', ['k-5'])).toEqual([{ n: 0 }]);
    expect(await rows('SELECT count(*)::int AS n FROM orders.cancelled_checkouts WHERE checkout_id = $1', ['k-5'])).toEqual([{ n: 1 }]);
  });

  it('keeps answering a refused checkout with its refusal after a cancel by checkout', async () => {
    const limited = await startTestApp(OrdersModule.register(testConfig({ ORDERS_DATABASE_URL: db.url, ORDER_MAX_TOTAL_CENTS: 100 })));
    try {
      await request(limited.url).post('/orders').set('X-API-Key', TEST_API_KEY).send(orderFor('k-6')).expect(422);
    } finally {
      await limited.close();
    }
    await post('/orders/by-checkout/k-6/cancel').expect(200, { checkoutId: 'k-6', status: 'CANCELLED' });
    expect((await post('/orders', orderFor('k-6')).expect(422)).body.code).toBe('ORDERS.OVER_LIMIT');
  });

  it('never leaves a live order when creates and cancels by checkout race', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    const results = await Promise.all(ids.flatMap((id) => [post('/orders', orderFor(id)), post(`/orders/by-checkout/${id}/cancel`)]));
    expect(results.every((r) => r.status === 201 || r.status === 200 || r.status === 409)).toBe(true);
    expect(await rows(`SELECT count(*)::int AS n FROM orders.orders WHERE checkout_id LIKE 'race-%' AND status <> 'CANCELLED'`)).toEqual([{ n: 0 }]);
    const settled = await rows(
      `SELECT count(*)::int AS n FROM (SELECT checkout_id FROM orders.orders UNION ALL SELECT checkout_id FROM orders.cancelled_checkouts) c WHERE checkout_id LIKE 'race-%'`,
    );
    expect(settled).toEqual([{ n: 20 }]);
  });

  it('with unlessConfirmed, refuses a CONFIRMED order (409) and leaves it confirmed, but still cancels a PENDING one and tombstones a missing one', async () => {
    const { orderId } = await place('k-7');
    await post(`/orders/${orderId}/confirm`).expect(200);
    const refused = await post('/orders/by-checkout/k-7/cancel', { unlessConfirmed: true }).expect(409);
    expect(refused.body).toMatchObject({ code: 'ORDERS.ORDER_CONFIRMED', orderId, checkoutId: 'k-7' });
    expect(await statusOf('k-7')).toBe('CONFIRMED');

    const pending = await place('k-8');
    expect((await post('/orders/by-checkout/k-8/cancel', { unlessConfirmed: true }).expect(200)).body).toMatchObject({
      orderId: pending.orderId,
      status: 'CANCELLED',
    });
    await post('/orders/by-checkout/k-9/cancel', { unlessConfirmed: true }).expect(200, { checkoutId: 'k-9', status: 'CANCELLED' });
    await post('/orders', orderFor('k-9')).expect(409);
    expect((await post('/orders/by-checkout/k-9/cancel', { unlessConfirmed: 'yes' }).expect(400)).body.fields).toEqual(['unlessConfirmed']);
  });

  it('never cancels a confirmed order when a confirm and an unlessConfirmed cancel race', async () => {
    const placed = await Promise.all(Array.from({ length: 10 }, (_, i) => place(`dl-race-${i}`)));
    const results = await Promise.all(
      placed.flatMap(({ orderId }, i) => [post(`/orders/${orderId}/confirm`), post(`/orders/by-checkout/dl-race-${i}/cancel`, { unlessConfirmed: true })]),
    );
    for (let i = 0; i < placed.length; i += 1) {
      const [confirm, cancel] = [results[2 * i]!, results[2 * i + 1]!];
      // Exactly one of the two won, and the order is in the state of the winner.
      expect([confirm.status, cancel.status].sort()).toEqual([200, 409]);
      expect(await statusOf(`dl-race-${i}`)).toBe(confirm.status === 200 ? 'CONFIRMED' : 'CANCELLED');
    }
  });

  it('rejects malformed ids with a 400 naming the parameter', async () => {
    expect((await post('/orders/nope/confirm').expect(400)).body.fields).toEqual(['id']);
    expect((await post('/orders/by-checkout/a%20b/cancel').expect(400)).body.fields).toEqual(['checkoutId']);
  });
});
