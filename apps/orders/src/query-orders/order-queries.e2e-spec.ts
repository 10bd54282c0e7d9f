import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { OrdersModule } from '../orders.module.js';

describe('orders: queries', () => {
  let db: TestDatabase;
  let orders: TestApp;
  const get = (path: string) => request(orders.url).get(path).set('X-API-Key', TEST_API_KEY);
  const place = async (checkoutId: string, clientId: string) =>
    (
      await request(orders.url)
        .post('/orders')
        .set('X-API-Key', TEST_API_KEY)
        .send({ checkoutId, clientId, items: [{ sku: 'A-1', quantity: 1, unitPriceCents: 100 }] })
        .expect(201)
    ).body;

  beforeAll(async () => {
    db = await createTestDatabase('orders_queries');
    orders = await startTestApp(OrdersModule.register(testConfig({ ORDERS_DATABASE_URL: db.url })));
  });

  afterAll(async () => {
    await orders.close();
    await db.drop();
  });

  it('gets an order by id, 404 for an unknown id and 400 for a malformed one', async () => {
    const placed = await place('q-1', 'alice');
    await get(`/orders/${placed.orderId}`).expect(200, placed);
    const missing = await get(`/orders/${randomUUID()}`).expect(404);
    expect(missing.body.code).toBe('ORDERS.ORDER_NOT_FOUND');
    expect((await get('/orders/not-a-uuid').expect(400)).body.fields).toEqual(['id']);
  });

  it("lists a client's orders newest first, bounded by limit", async () => {
    const placed = [];
    for (const checkoutId of ['b-1', 'b-2', 'b-3']) placed.push(await place(checkoutId, 'bob'));
    await place('c-1', 'carol');
    const all = await get('/orders?clientId=bob').expect(200);
    expect(all.body.map((o: { checkoutId: string }) => o.checkoutId)).toEqual(['b-3', 'b-2', 'b-1']);
    expect(all.body[0]).toEqual(placed[2]);
    expect((await get('/orders?clientId=bob&limit=2').expect(200)).body).toHaveLength(2);
    await get('/orders?clientId=nobody').expect(200, []);
  });

  it('finds the order of a checkout', async () => {
    const placed = await place('d-1', 'dave');
    await get('/orders?checkoutId=d-1').expect(200, [placed]);
    await get('/orders?checkoutId=d-unknown').expect(200, []);
  });

  it('refuses an unbounded or malformed list with a 400 naming the parameter', async () => {
    expect((await get('/orders').expect(400)).body.message).toContain('clientId or checkoutId is required');
    expect((await get('/orders?clientId=bob&limit=101').expect(400)).body.fields).toEqual(['limit']);
    expect((await get('/orders?clientId=bob&limit=0').expect(400)).body.fields).toEqual(['limit']);
    expect((await get('/orders?clientId=bob&limit=ten').expect(400)).body.fields).toEqual(['limit']);
    expect((await get('/orders?clientId=b%20b').expect(400)).body.fields).toEqual(['clientId']);
    expect((await get('/orders?clientId=bob&sort=asc').expect(400)).body.fields).toEqual(['sort']);
  });
});
