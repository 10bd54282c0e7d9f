import request from 'supertest';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { InventoryModule } from '../inventory.module.js';

describe('inventory: reserve stock', () => {
  let db: TestDatabase;
  let inventory: TestApp;
  const api = () => request(inventory.url);
  const post = (path: string, body?: object) => api().post(path).set('X-API-Key', TEST_API_KEY).send(body);

  beforeAll(async () => {
    db = await createTestDatabase('inventory_reserve');
    inventory = await startTestApp(InventoryModule.register(testConfig({ INVENTORY_DATABASE_URL: db.url })));
  });

  afterAll(async () => {
    await inventory.close();
    await db.drop();
  });

  const product = (sku: string, stock: number, priceCents = 1000) => post('/inventory/products', { sku, name: `Product ${sku}`, priceCents, stock }).expect(200);
  const stockOf = async (sku: string) => (await api().get(`/inventory/products/${sku}`).set('X-API-Key', TEST_API_KEY).expect(200)).body;

  it('reserves all items and holds them', async () => {
    await product('A-1', 10);
    await product('B-1', 5);
    const res = await post('/inventory/reservations', { checkoutId: 'chk-1', items: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-1', quantity: 1 }] }).expect(201);
    expect(res.body).toEqual({ checkoutId: 'chk-1', status: 'RESERVED', items: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-1', quantity: 1 }] });
    expect(await stockOf('A-1')).toMatchObject({ available: 8, reserved: 2 });
    expect(await stockOf('B-1')).toMatchObject({ available: 4, reserved: 1 });
  });

  it('is idempotent by checkoutId: a repeat returns the first reservation and takes nothing', async () => {
    await product('C-1', 3);
    const first = await post('/inventory/reservations', { checkoutId: 'chk-2', items: [{ sku: 'C-1', quantity: 2 }] }).expect(201);
    const again = await post('/inventory/reservations', { checkoutId: 'chk-2', items: [{ sku: 'C-1', quantity: 2 }] }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(await stockOf('C-1')).toMatchObject({ available: 1, reserved: 2 });
  });

  it('refuses all-or-nothing with 409 naming each short SKU, and keeps refusing the same checkout', async () => {
    await product('D-1', 5);
    await product('E-1', 1);
    const res = await post('/inventory/reservations', { checkoutId: 'chk-3', items: [{ sku: 'D-1', quantity: 2 }, { sku: 'E-1', quantity: 3 }] }).expect(409);
    expect(res.body).toMatchObject({ code: 'INVENTORY.INSUFFICIENT_STOCK', shortages: [{ sku: 'E-1', requested: 3, available: 1 }] });
    expect(await stockOf('D-1')).toMatchObject({ available: 5, reserved: 0 });
    await product('E-1', 10);
    await post('/inventory/reservations', { checkoutId: 'chk-3', items: [{ sku: 'D-1', quantity: 2 }, { sku: 'E-1', quantity: 3 }] }).expect(409);
    expect(await stockOf('E-1')).toMatchObject({ available: 10, reserved: 0 });
  });

  it('answers 404 naming unknown SKUs', async () => {
    const res = await post('/inventory/reservations', { checkoutId: 'chk-4', items: [{ sku: 'NOPE', quantity: 1 }] }).expect(404);
    expect(res.body).toMatchObject({ code: 'INVENTORY.UNKNOWN_SKU', skus: ['NOPE'] });
  });

  it('releases once, returning the units; a release before the reservation blocks the late reserve', async () => {
    await product('F-1', 4);
    await post('/inventory/reservations', { checkoutId: 'chk-5', items: [{ sku: 'F-1', quantity: 3 }] }).expect(201);
    await post('/inventory/reservations/chk-5/release').expect(200, { checkoutId: 'chk-5', status: 'RELEASED', items: [{ sku: 'F-1', quantity: 3 }] });
    await post('/inventory/reservations/chk-5/release').expect(200);
    expect(await stockOf('F-1')).toMatchObject({ available: 4, reserved: 0 });

    await post('/inventory/reservations/chk-6/release').expect(200, { checkoutId: 'chk-6', status: 'RELEASED', items: [] });
    const late = await post('/inventory/reservations', { checkoutId: 'chk-6', items: [{ sku: 'F-1', quantity: 1 }] }).expect(409);
    expect(late.body.code).toBe('INVENTORY.RESERVATION_RELEASED');
    expect(await stockOf('F-1')).toMatchObject({ available: 4, reserved: 0 });
  });

  it('confirms a reservation into a sale, and a forced release of a sale returns its units', async () => {
    await product('G-1', 4);
    await post('/inventory/reservations', { checkoutId: 'chk-7', items: [{ sku: 'G-1', quantity: 2 }] }).expect(201);
    await post('/inventory/reservations/chk-7/confirm').expect(200);
    await post('/inventory/reservations/chk-7/confirm').expect(200);
    expect(await stockOf('G-1')).toMatchObject({ available: 2, reserved: 0 });
    await post('/inventory/reservations/chk-7/release').expect(200);
    expect(await stockOf('G-1')).toMatchObject({ available: 4, reserved: 0 });
    await post('/inventory/reservations/chk-7/confirm').expect(409);
  });

  it('never oversells under 60 concurrent reservations for more than is in stock', async () => {
    await product('HOT', 25);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => post('/inventory/reservations', { checkoutId: `hot-${i}`, items: [{ sku: 'HOT', quantity: 1 }] })),
    );
    const reserved = results.filter((r) => r.status === 201).length;
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409)).toBe(true);
    expect(reserved).toBe(25);
    expect(await stockOf('HOT')).toMatchObject({ available: 0, reserved: 25 });
  });

  it('rejects bad input with a 400 naming the field and a missing or wrong key with 401', async () => {
    const bad = await post('/inventory/reservations', { checkoutId: 'x', items: [{ sku: 'A-1', quantity: -1 }] }).expect(400);
    expect(bad.body.message.join(' ')).toContain('items.0.quantity');
    await api().post('/inventory/reservations').send({ checkoutId: 'x', items: [] }).expect(401);
    await api().get('/inventory/products').set('X-API-Key', 'wrong').expect(401);
    await api().get('/health').expect(200);
  });
});
