import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { OrdersModule } from '../orders.module.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('orders: place an order', () => {
  let db: TestDatabase;
  let orders: TestApp;
  const api = () => request(orders.url);
  const post = (path: string, body?: object) => api().post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const rows = (sql: string, params: unknown[] = []) => orders.app.get(DataSource).query<Record<string, unknown>[]>(sql, params);
  const order = (checkoutId: string, items = [{ sku: 'A-1', quantity: 2, unitPriceCents: 1500 }], clientId = 'client-1') => ({ checkoutId, clientId, items });

  beforeAll(async () => {
    db = await createTestDatabase('orders_place');
    orders = await startTestApp(OrdersModule.register(testConfig({ ORDERS_DATABASE_URL: db.url, ORDER_MAX_TOTAL_CENTS: 10_000 })));
  });

  afterAll(async () => {
    await orders.close();
    await db.drop();
  });

  it('opens a PENDING order with a generated id and the computed total', async () => {
    const items = [
      { sku: 'A-1', quantity: 2, unitPriceCents: 1500 },
      { sku: 'B-1', quantity: 1, unitPriceCents: 999 },
    ];
    const res = await post('/orders', order('chk-1', items)).expect(201);
    expect(res.body).toEqual({ orderId: expect.stringMatching(UUID), checkoutId: 'chk-1', clientId: 'client-1', status: 'PENDING', items, totalCents: 3999 });
    expect(await rows('SELECT order_id, status, total_cents FROM orders.orders WHERE checkout_id = $1', ['chk-1'])).toEqual([
      { order_id: res.body.orderId, status: 'PENDING', total_cents: '3999' },
    ]);
  });

  it('is idempotent by checkoutId: a repeat returns the first order and creates nothing', async () => {
    const first = await post('/orders', order('chk-2')).expect(201);
    const again = await post('/orders', order('chk-2', [{ sku: 'Z-9', quantity: 1, unitPriceCents: 1 }], 'someone-else')).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await rows('SELECT count(*)::int AS n FROM orders.orders WHERE checkout_id = $1', ['chk-2'])).toEqual([{ n: 1 }]);
  });

  it('creates exactly one order under 20 concurrent requests for the same checkout', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => post('/orders', order('chk-hot'))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.orderId)).size).toBe(1);
    expect(await rows('SELECT count(*)::int AS n FROM orders.orders WHERE checkout_id = $1', ['chk-hot'])).toEqual([{ n: 1 }]);
  });

  it('refuses an order over the limit with 422, records the refusal and repeats it', async () => {
    const over = order('chk-3', [{ sku: 'A-1', quantity: 3, unitPriceCents: 4000 }]);
    const res = await post('/orders', over).expect(422);
    expect(res.body).toEqual({
      statusCode: 422,
      code: 'ORDERS.OVER_LIMIT',
      message: expect.stringContaining('12000'),
      totalCents: 12_000,
      maxTotalCents: 10_000,
    });
    // Even a repeat that would fit gets the first answer: the checkout was refused.
    const again = await post('/orders', order('chk-3', [{ sku: 'A-1', quantity: 1, unitPriceCents: 1 }])).expect(422);
    expect(again.body).toEqual(res.body);
    expect(await rows('SELECT count(*)::int AS n FROM orders.orders WHERE checkout_id = $1', ['chk-3'])).toEqual([{ n: 0 }]);
    expect(await rows('SELECT code FROM orders.order_refusals WHERE checkout_id = $1', ['chk-3'])).toEqual([{ code: 'ORDERS.OVER_LIMIT' }]);
  });

  it('accepts a total exactly at the limit', async () => {
    const res = await post('/orders', order('chk-4', [{ sku: 'A-1', quantity: 4, unitPriceCents: 2500 }])).expect(201);
    expect(res.body.totalCents).toBe(10_000);
  });

  it('rejects bad input with a 400 naming the field, and creates nothing', async () => {
    const fieldsOf = async (body: object) => (await post('/orders', body).expect(400)).body.fields as string[];
    expect(await fieldsOf(order('bad-1', [{ sku: 'A-1', quantity: 1, unitPriceCents: -5 }]))).toContain('items.0.unitPriceCents');
    expect(await fieldsOf(order('bad-2', [{ sku: 'A-1', quantity: 1, unitPriceCents: 1.5 }]))).toContain('items.0.unitPriceCents');
    expect(await fieldsOf(order('bad-3', [{ sku: 'A-1', quantity: 0, unitPriceCents: 1 }]))).toContain('items.0.quantity');
    expect(await fieldsOf(order('bad-4', [{ sku: 'no spaces', quantity: 1, unitPriceCents: 1 }]))).toContain('items.0.sku');
    expect(await fieldsOf(order('bad-5', []))).toContain('items');
    expect(
      await fieldsOf(
        order(
          'bad-6',
          Array.from({ length: 101 }, () => ({ sku: 'A-1', quantity: 1, unitPriceCents: 1 })),
        ),
      ),
    ).toContain('items');
    expect(await fieldsOf(order('has space'))).toContain('checkoutId');
    expect(await fieldsOf({ checkoutId: 'bad-7', items: [{ sku: 'A-1', quantity: 1, unitPriceCents: 1 }] })).toContain('clientId');
    expect(await fieldsOf({ ...order('bad-8'), totalCents: 1 })).toContain('totalCents');
    expect(await fieldsOf(order('bad-9', [{ sku: 'A-1', quantity: 1, unitPriceCents: 1, discount: 1 }] as never))).toContain('items.0.discount');
    const bad = await post('/orders', order('bad-1', [{ sku: 'A-1', quantity: 1, unitPriceCents: -5 }])).expect(400);
    expect(bad.body.message.join(' ')).toContain('items.0.unitPriceCents');
    expect(await rows(`SELECT count(*)::int AS n FROM orders.orders WHERE checkout_id LIKE 'bad-%'`)).toEqual([{ n: 0 }]);
  });

  it('requires the API key except on /health', async () => {
    await api().post('/orders').send(order('chk-key')).expect(401);
    await api().post('/orders').set('X-API-Key', 'wrong').send(order('chk-key')).expect(401);
    await api().get('/orders?clientId=client-1').expect(401);
    expect(await rows('SELECT count(*)::int AS n FROM orders.orders WHERE checkout_id = $1', ['chk-key'])).toEqual([{ n: 0 }]);
    await api().get('/health').expect(200);
  });
});
