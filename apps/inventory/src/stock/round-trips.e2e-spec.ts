import request from 'supertest';
import { DataSource } from 'typeorm';
import { type RoundTrips, TEST_API_KEY, type TestApp, type TestDatabase, countRoundTrips, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { InventoryModule } from '../inventory.module.js';

/**
 * Every step and compensation of a checkout is one database round trip, whatever it finds: the
 * product rows it locks are held for one statement, not across a conversation with the app.
 */
describe('inventory: one database round trip per step', () => {
  let db: TestDatabase;
  let inventory: TestApp;
  let trips: RoundTrips;
  const post = (path: string, body?: object) => request(inventory.url).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const items = [
    { sku: 'RT-A', quantity: 1 },
    { sku: 'RT-B', quantity: 2 },
    { sku: 'RT-C', quantity: 1 },
  ];

  /** The round trips of one request, which must answer `status`. */
  const tripsOf = async (status: number, path: string, body?: object) => {
    trips.reset();
    await post(path, body).expect(status);
    return trips.count;
  };

  beforeAll(async () => {
    db = await createTestDatabase('inventory_round_trips');
    inventory = await startTestApp(InventoryModule.register(testConfig({ INVENTORY_DATABASE_URL: db.url })));
    trips = countRoundTrips(inventory.app.get(DataSource));
    for (const sku of ['RT-A', 'RT-B', 'RT-C']) await post('/inventory/products', { sku, name: sku, priceCents: 100, stock: 50 }).expect(200);
  });

  afterAll(async () => {
    await inventory.close();
    await db.drop();
  });

  it('checks availability, reserves, confirms and releases in one round trip each, first time or repeated', async () => {
    await post('/inventory/reservations', { checkoutId: 'rt-2', items }).expect(201);
    const steps: [step: string, status: number, path: string, body?: object][] = [
      ['availability', 200, '/inventory/availability', { items }],
      ['reserve', 201, '/inventory/reservations', { checkoutId: 'rt-1', items }],
      ['reserve again', 201, '/inventory/reservations', { checkoutId: 'rt-1', items }],
      ['confirm', 200, '/inventory/reservations/rt-1/confirm'],
      ['confirm again', 200, '/inventory/reservations/rt-1/confirm'],
      ['release a sale', 200, '/inventory/reservations/rt-1/release'],
      ['reserve a released checkout', 201, '/inventory/reservations', { checkoutId: 'rt-1', items }],
      ['release', 200, '/inventory/reservations/rt-2/release'],
      ['release again', 200, '/inventory/reservations/rt-2/release'],
      ['confirm a released reservation', 409, '/inventory/reservations/rt-2/confirm'],
      ['confirm a missing reservation', 404, '/inventory/reservations/rt-none/confirm'],
      ['release before the reserve', 200, '/inventory/reservations/rt-3/release'],
      ['reserve after the tombstone', 409, '/inventory/reservations', { checkoutId: 'rt-3', items }],
      [
        'reserve short',
        409,
        '/inventory/reservations',
        {
          checkoutId: 'rt-4',
          items: [
            { sku: 'RT-A', quantity: 1 },
            { sku: 'RT-B', quantity: 999 },
          ],
        },
      ],
      ['reserve short again', 409, '/inventory/reservations', { checkoutId: 'rt-4', items }],
      ['reserve an unknown SKU', 404, '/inventory/reservations', { checkoutId: 'rt-5', items: [{ sku: 'RT-NONE', quantity: 1 }] }],
    ];
    const counts: Record<string, number> = {};
    for (const [step, status, path, body] of steps) counts[step] = await tripsOf(status, path, body);
    expect(counts).toEqual(Object.fromEntries(steps.map(([step]) => [step, 1])));
  });
});
