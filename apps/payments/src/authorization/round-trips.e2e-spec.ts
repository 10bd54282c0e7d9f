import request from 'supertest';
import { DataSource } from 'typeorm';
import { type RoundTrips, TEST_API_KEY, type TestApp, type TestDatabase, countRoundTrips, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { PaymentsModule } from '../payments.module.js';

/** Every step and compensation of a checkout is one database round trip, whatever it finds. */
describe('payments: one database round trip per step', () => {
  let db: TestDatabase;
  let payments: TestApp;
  let trips: RoundTrips;
  const post = (path: string, body?: object) => request(payments.url).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const authorization = (checkoutId: string, token = 'tok_visa') => ({ checkoutId, amountCents: 1_000, token });

  beforeAll(async () => {
    db = await createTestDatabase('payments_round_trips');
    payments = await startTestApp(PaymentsModule.register(testConfig({ PAYMENTS_DATABASE_URL: db.url })));
    trips = countRoundTrips(payments.app.get(DataSource));
  });

  afterAll(async () => {
    await payments.close();
    await db.drop();
  });

  it('authorizes and voids in one round trip each, first time or repeated', async () => {
    const steps: [step: string, status: number, path: string, body?: object][] = [
      ['authorize', 201, '/payments/authorizations', authorization('rt-1')],
      ['authorize again', 201, '/payments/authorizations', authorization('rt-1')],
      ['decline', 402, '/payments/authorizations', authorization('rt-2', 'tok_chargeDeclined')],
      ['decline again', 402, '/payments/authorizations', authorization('rt-2')],
      ['void', 200, '/payments/authorizations/rt-1/void'],
      ['void again', 200, '/payments/authorizations/rt-1/void'],
      ['void a decline', 200, '/payments/authorizations/rt-2/void'],
      ['void before the authorize', 200, '/payments/authorizations/rt-3/void'],
      ['authorize after the tombstone', 409, '/payments/authorizations', authorization('rt-3')],
    ];
    const counts: Record<string, number> = {};
    for (const [step, status, path, body] of steps) {
      trips.reset();
      await post(path, body).expect(status);
      counts[step] = trips.count;
    }
    expect(counts).toEqual(Object.fromEntries(steps.map(([step]) => [step, 1])));
  });
});
