import request from 'supertest';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { OrdersModule } from '../orders.module.js';

describe('orders: refund', () => {
  let db: TestDatabase;
  let orders: TestApp;
  const post = (path: string, body?: object) => request(orders.url).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const place = async (checkoutId: string) =>
    (
      (await post('/orders', { checkoutId, clientId: 'client-1', items: [{ sku: 'A-1', quantity: 1, unitPriceCents: 500 }] }).expect(201)).body as {
        orderId: string;
      }
    ).orderId;

  beforeAll(async () => {
    db = await createTestDatabase('orders_refund');
    orders = await startTestApp(OrdersModule.register(testConfig({ ORDERS_DATABASE_URL: db.url })));
  });

  afterAll(async () => {
    await orders.close();
    await db.drop();
  });

  it('refunds a CONFIRMED order, repeatedly, and then neither confirms nor cancels it', async () => {
    const orderId = await place('r-1');
    await post(`/orders/${orderId}/confirm`).expect(200);
    const refunded = await post(`/orders/${orderId}/refund`).expect(200);
    expect(refunded.body).toMatchObject({ orderId, status: 'REFUNDED' });
    await post(`/orders/${orderId}/refund`).expect(200, refunded.body);
    expect((await post(`/orders/${orderId}/confirm`).expect(200)).body).toMatchObject({ status: 'REFUNDED' });
    expect((await post(`/orders/${orderId}/cancel`).expect(200)).body).toMatchObject({ status: 'REFUNDED' });
  });

  it('refuses to refund a PENDING order (409), answers a cancelled one as it is, and 404 for an unknown one', async () => {
    const pending = await place('r-2');
    expect((await post(`/orders/${pending}/refund`).expect(409)).body).toMatchObject({ code: 'ORDERS.ORDER_NOT_CONFIRMED', orderId: pending });
    const cancelled = await place('r-3');
    await post(`/orders/${cancelled}/cancel`).expect(200);
    expect((await post(`/orders/${cancelled}/refund`).expect(200)).body).toMatchObject({ status: 'CANCELLED' });
    await post('/orders/00000000-0000-4000-8000-000000000000/refund').expect(404);
  });
});
