import request from 'supertest';
import { DataSource } from 'typeorm';
import { PaymentTokenSealer } from '@app/contracts';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, startTestApp, testConfig } from '@app/testing';
import { PaymentsModule } from '../payments.module.js';

describe('payments: authorize', () => {
  let db: TestDatabase;
  let payments: TestApp;
  let sealer: PaymentTokenSealer;
  const api = () => request(payments.url);
  const post = (path: string, body?: object) => api().post(path).set('X-API-Key', TEST_API_KEY).send(body);
  const rows = (sql: string, params: unknown[] = []) => payments.app.get(DataSource).query<Record<string, unknown>[]>(sql, params);
  const rowOf = async (checkoutId: string) =>
    await rows('SELECT status, amount_cents, decline_code, reason FROM payments.authorizations WHERE checkout_id = $1', [checkoutId]);

  beforeAll(async () => {
    db = await createTestDatabase('payments_authorize');
    const config = testConfig({ PAYMENTS_DATABASE_URL: db.url });
    payments = await startTestApp(PaymentsModule.register(config));
    sealer = new PaymentTokenSealer(config.PAYMENT_TOKEN_PUBLIC_KEY);
  });

  afterAll(async () => {
    await payments.close();
    await db.drop();
  });

  it('authorizes the amount on an ordinary test card, and GET reads it back', async () => {
    await post('/payments/authorizations', { checkoutId: 'p-1', amountCents: 4200, token: 'tok_visa' }).expect(201, {
      checkoutId: 'p-1',
      status: 'AUTHORIZED',
      amountCents: 4200,
    });
    expect(await rowOf('p-1')).toEqual([{ status: 'AUTHORIZED', amount_cents: 4200, decline_code: null, reason: null }]);
    await api().get('/payments/authorizations/p-1').set('X-API-Key', TEST_API_KEY).expect(200, { checkoutId: 'p-1', status: 'AUTHORIZED', amountCents: 4200 });
  });

  it('opens a token sealed for the checkout by an entry point, and refuses one sealed for another checkout (422) without recording it', async () => {
    await post('/payments/authorizations', { checkoutId: 'p-seal', amountCents: 300, token: sealer.seal('tok_visa', 'p-seal') }).expect(201, {
      checkoutId: 'p-seal',
      status: 'AUTHORIZED',
      amountCents: 300,
    });
    await post('/payments/authorizations', { checkoutId: 'p-seal-2', amountCents: 300, token: sealer.seal('tok_chargeDeclined', 'p-seal-2') }).expect(402);
    const stolen = await post('/payments/authorizations', { checkoutId: 'p-seal-3', amountCents: 300, token: sealer.seal('tok_visa', 'p-seal') }).expect(422);
    expect(stolen.body).toMatchObject({ code: 'PAYMENTS.TOKEN_UNREADABLE' });
    expect(await rowOf('p-seal-3')).toEqual([]);
    expect((await post('/payments/authorizations', { checkoutId: 'p-seal-3', amountCents: 300, token: 'pt1.garbage' }).expect(400)).body.fields).toEqual(['token']);
  });

  it('is idempotent by checkoutId: a repeat answers the first authorization, even with another card or amount', async () => {
    const first = await post('/payments/authorizations', { checkoutId: 'p-2', amountCents: 1000, token: 'tok_visa' }).expect(201);
    await post('/payments/authorizations', { checkoutId: 'p-2', amountCents: 9999, token: 'tok_chargeDeclined' }).expect(201, first.body);
    expect(await rowOf('p-2')).toEqual([{ status: 'AUTHORIZED', amount_cents: 1000, decline_code: null, reason: null }]);
  });

  it('authorizes exactly once under 20 concurrent requests for the same checkout', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post('/payments/authorizations', { checkoutId: 'p-hot', amountCents: 700, token: 'tok_mastercard' })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(results.every((r) => r.body.amountCents === 700 && r.body.status === 'AUTHORIZED')).toBe(true);
    expect(await rows('SELECT count(*)::int AS n FROM payments.authorizations WHERE checkout_id = $1', ['p-hot'])).toEqual([{ n: 1 }]);
  });

  it('declines tok_chargeDeclined with 402, stores the decline and repeats it, even with a good card', async () => {
    const res = await post('/payments/authorizations', { checkoutId: 'p-3', amountCents: 500, token: 'tok_chargeDeclined' }).expect(402);
    expect(res.body).toEqual({
      statusCode: 402,
      code: 'PAYMENTS.CARD_DECLINED',
      message: 'Your card was declined.',
      checkoutId: 'p-3',
      status: 'DECLINED',
      amountCents: 500,
      reason: 'Your card was declined.',
    });
    const again = await post('/payments/authorizations', { checkoutId: 'p-3', amountCents: 500, token: 'tok_visa' }).expect(402);
    expect(again.body).toEqual(res.body);
    expect(await rowOf('p-3')).toEqual([{ status: 'DECLINED', amount_cents: 500, decline_code: 'PAYMENTS.CARD_DECLINED', reason: 'Your card was declined.' }]);
    await api()
      .get('/payments/authorizations/p-3')
      .set('X-API-Key', TEST_API_KEY)
      .expect(200, { checkoutId: 'p-3', status: 'DECLINED', amountCents: 500, reason: 'Your card was declined.' });
  });

  it('declines tok_insufficientFunds with 402 PAYMENTS.INSUFFICIENT_FUNDS, repeatedly', async () => {
    const res = await post('/payments/authorizations', { checkoutId: 'p-4', amountCents: 800, token: 'tok_insufficientFunds' }).expect(402);
    expect(res.body).toMatchObject({
      code: 'PAYMENTS.INSUFFICIENT_FUNDS',
      status: 'DECLINED',
      amountCents: 800,
      reason: expect.stringContaining('insufficient funds'),
    });
    await post('/payments/authorizations', { checkoutId: 'p-4', amountCents: 800, token: 'tok_insufficientFunds' }).expect(402, res.body);
    expect(await rows('SELECT count(*)::int AS n FROM payments.authorizations WHERE checkout_id = $1', ['p-4'])).toEqual([{ n: 1 }]);
  });

  it('never stores the token', async () => {
    await post('/payments/authorizations', { checkoutId: 'p-5', amountCents: 100, token: 'tok_secretSentinel42' }).expect(201);
    const dump = JSON.stringify(await rows('SELECT * FROM payments.authorizations'));
    expect(dump).not.toContain('tok_');
    expect(dump).not.toContain('Sentinel');
  });

  it('answers 404 for an unknown checkout', async () => {
    const res = await api().get('/payments/authorizations/p-none').set('X-API-Key', TEST_API_KEY).expect(404);
    expect(res.body).toMatchObject({ code: 'PAYMENTS.AUTHORIZATION_NOT_FOUND', checkoutId: 'p-none' });
  });

  it('rejects bad input with a 400 naming the field, and stores nothing', async () => {
    const fieldsOf = async (body: object) => (await post('/payments/authorizations', body).expect(400)).body.fields as string[];
    expect(await fieldsOf({ checkoutId: 'bad-1', amountCents: 0, token: 'tok_visa' })).toEqual(['amountCents']);
    expect(await fieldsOf({ checkoutId: 'bad-2', amountCents: -3, token: 'tok_visa' })).toEqual(['amountCents']);
    expect(await fieldsOf({ checkoutId: 'bad-3', amountCents: 12.5, token: 'tok_visa' })).toEqual(['amountCents']);
    expect(await fieldsOf({ checkoutId: 'bad-4', amountCents: 100_000_000, token: 'tok_visa' })).toEqual(['amountCents']);
    expect(await fieldsOf({ checkoutId: 'bad-5', amountCents: '100', token: 'tok_visa' })).toEqual(['amountCents']);
    expect(await fieldsOf({ checkoutId: 'bad-6', amountCents: 100, token: '4242424242424242' })).toEqual(['token']);
    expect(await fieldsOf({ checkoutId: 'bad 7', amountCents: 100, token: 'tok_visa' })).toEqual(['checkoutId']);
    expect(await fieldsOf({ checkoutId: 'bad-8', amountCents: 100, token: 'tok_visa', currency: 'EUR' })).toEqual(['currency']);
    const bad = await post('/payments/authorizations', { checkoutId: 'bad-1', amountCents: 0, token: 'tok_visa' }).expect(400);
    expect(bad.body.message.join(' ')).toContain('amountCents');
    expect(await rows(`SELECT count(*)::int AS n FROM payments.authorizations WHERE checkout_id LIKE 'bad%'`)).toEqual([{ n: 0 }]);
  });

  it('requires the API key except on /health', async () => {
    await api().post('/payments/authorizations').send({ checkoutId: 'p-key', amountCents: 100, token: 'tok_visa' }).expect(401);
    await api().get('/payments/authorizations/p-1').set('X-API-Key', 'wrong').expect(401);
    expect(await rowOf('p-key')).toEqual([]);
    await api().get('/health').expect(200);
  });
});
