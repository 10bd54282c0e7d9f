import request from 'supertest';
import { DataSource } from 'typeorm';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { PaymentsModule } from '../payments.module.js';

describe('payments: void', () => {
  let db: TestDatabase;
  let payments: TestApp;
  const post = (path: string, body?: object) => request(payments.url).post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const authorize = (checkoutId: string, token = 'tok_visa', amountCents = 2500) => post('/payments/authorizations', { checkoutId, amountCents, token });
  const rows = (sql: string, params: unknown[] = []) => payments.app.get(DataSource).query<Record<string, unknown>[]>(sql, params);
  const statusOf = async (checkoutId: string) => (await rows('SELECT status FROM payments.authorizations WHERE checkout_id = $1', [checkoutId]))[0]?.['status'];

  beforeAll(async () => {
    db = await createTestDatabase('payments_void');
    payments = await startTestApp(PaymentsModule.register(testConfig({ PAYMENTS_DATABASE_URL: db.url })));
  });

  afterAll(async () => {
    await payments.close();
    await db.drop();
  });

  it('voids an authorization, and a repeat answers the same', async () => {
    await authorize('v-1').expect(201);
    await post('/payments/authorizations/v-1/void').expect(200, { checkoutId: 'v-1', status: 'VOIDED', amountCents: 2500 });
    await post('/payments/authorizations/v-1/void').expect(200, { checkoutId: 'v-1', status: 'VOIDED', amountCents: 2500 });
    expect(await statusOf('v-1')).toBe('VOIDED');
  });

  it('answers a declined authorization as it is: it held nothing', async () => {
    await authorize('v-2', 'tok_chargeDeclined').expect(402);
    await post('/payments/authorizations/v-2/void').expect(200, {
      checkoutId: 'v-2',
      status: 'DECLINED',
      amountCents: 2500,
      reason: 'Your card was declined.',
    });
    expect(await statusOf('v-2')).toBe('DECLINED');
    expect((await authorize('v-2').expect(402)).body.code).toBe('PAYMENTS.CARD_DECLINED');
  });

  it('leaves a tombstone when the void overtakes the authorize, so the late authorize is refused with 409', async () => {
    await post('/payments/authorizations/v-3/void').expect(200, { checkoutId: 'v-3', status: 'VOIDED', amountCents: 0 });
    await post('/payments/authorizations/v-3/void').expect(200, { checkoutId: 'v-3', status: 'VOIDED', amountCents: 0 });
    const late = await authorize('v-3').expect(409);
    expect(late.body).toMatchObject({ code: 'PAYMENTS.AUTHORIZATION_VOIDED', checkoutId: 'v-3' });
    await authorize('v-3').expect(409);
    expect(await rows('SELECT status, amount_cents FROM payments.authorizations WHERE checkout_id = $1', ['v-3'])).toEqual([
      { status: 'VOIDED', amount_cents: 0 },
    ]);
  });

  it('never leaves a live authorization when authorizes and voids race', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    const results = await Promise.all(ids.flatMap((id) => [authorize(id), post(`/payments/authorizations/${id}/void`)]));
    expect(results.every((r) => [200, 201, 409].includes(r.status))).toBe(true);
    expect(await rows(`SELECT count(*)::int AS n FROM payments.authorizations WHERE checkout_id LIKE 'race-%' AND status = 'VOIDED'`)).toEqual([{ n: 20 }]);
  });

  it('rejects a malformed checkoutId with a 400 naming it, and a missing key with 401', async () => {
    expect((await post('/payments/authorizations/a%20b/void').expect(400)).body.fields).toEqual(['checkoutId']);
    await request(payments.url).post('/payments/authorizations/v-1/void').expect(401);
  });
});
