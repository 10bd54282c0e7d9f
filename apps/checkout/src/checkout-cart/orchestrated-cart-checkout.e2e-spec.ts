import { Redis } from 'ioredis';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { type AnyEvent, STREAMS } from '@app/contracts';
import {
  BOOT_TIMEOUT_MS,
  Participants,
  ServiceProcess,
  TEST_API_KEY,
  type TestApp,
  type TestDatabase,
  createTestDatabase,
  eventually,
  startTestApp,
  testConfig,
} from '@app/testing';
import { CheckoutModule } from '../checkout.module.js';

const visa = { token: 'tok_visa' };

/** Carts checked out through the real orchestrator, in its own process, over the real participants. */
describe('checkout: POST /carts/:id/checkout?mode=orchestrated', () => {
  let participants: Participants;
  let sagaDb: TestDatabase;
  let checkoutDb: TestDatabase;
  let orchestrator: ServiceProcess;
  let config: AppConfig;
  let app: TestApp;
  let redis: Redis;

  const api = () => request(app.url);
  const cartWith = async (clientId: string, lines: [string, number][]) => {
    const cartId = (await api().post('/carts').set('X-API-Key', TEST_API_KEY).send({ clientId }).expect(201)).body.cartId as string;
    for (const [sku, quantity] of lines) await api().post(`/carts/${cartId}/items`).set('X-API-Key', TEST_API_KEY).send({ sku, quantity }).expect(200);
    return cartId;
  };
  const checkout = (cartId: string, mode = 'orchestrated', payment = visa) =>
    api().post(`/carts/${cartId}/checkout`).query({ mode }).set('X-API-Key', TEST_API_KEY).send({ payment });
  const cartOf = async (cartId: string) => (await api().get(`/carts/${cartId}`).set('X-API-Key', TEST_API_KEY).expect(200)).body;
  const eventsOn = async (stream: string): Promise<AnyEvent[]> =>
    (await redis.xrange(`${config.REDIS_KEY_PREFIX}${stream}`, '-', '+')).map(([, fields]) => JSON.parse(fields[1]!) as AnyEvent);

  beforeAll(async () => {
    participants = await Participants.start({ label: 'checkout_orch', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    [sagaDb, checkoutDb] = await Promise.all([createTestDatabase('checkout_orch_saga'), createTestDatabase('checkout_orch_checkout')]);
    config = testConfig({ CHECKOUT_DATABASE_URL: checkoutDb.url, EVENT_STORE_DATABASE_URL: checkoutDb.url, ...participants.urls });
    orchestrator = await ServiceProcess.start('saga-orchestrator', {
      SAGA_DATABASE_URL: sagaDb.url,
      ...participants.urls,
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
    });
    app = await startTestApp(CheckoutModule.register({ ...config, SAGA_ORCHESTRATOR_URL: orchestrator.url }), 'checkout');
    redis = new Redis(config.REDIS_URL);
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    redis?.disconnect();
    await app?.close();
    await orchestrator?.stop();
    await participants?.stop();
    await Promise.all([sagaDb?.drop(), checkoutDb?.drop()]);
  }, BOOT_TIMEOUT_MS);

  it('runs the saga and answers 201 with its outcome; the cart records the checkout under the id the saga and the replay use', async () => {
    await participants.product('OC-1', 10, 1_200);
    await participants.product('OC-2', 10, 300);
    const cartId = await cartWith('ann', [
      ['OC-2', 1],
      ['OC-1', 2],
    ]);
    const res = await checkout(cartId).expect(201);
    expect(res.body).toMatchObject({ state: 'SAGA_TERMINEE', clientId: 'ann', totalCents: 2_700, orderId: expect.any(String), cartId, mode: 'orchestrated' });
    const { checkoutId, sagaId, orderId } = res.body as { checkoutId: string; sagaId: string; orderId: string };
    expect(res.headers['location']).toBe(`/checkout/${checkoutId}`);
    expect(await participants.ordersOf(checkoutId)).toEqual([expect.objectContaining({ orderId, status: 'CONFIRMED', totalCents: 2_700 })]);
    expect(await cartOf(cartId)).toMatchObject({ status: 'CHECKED_OUT', checkoutId, mode: 'orchestrated' });

    const checkedOut = await eventually(async () => {
      const found = (await eventsOn(STREAMS.carts)).find((e) => e.type === 'CartCheckedOut' && e.correlationId === cartId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(checkedOut.payload).toEqual({ cartId, checkoutId, mode: 'orchestrated' });
    // The saga's own events name that checkout, which is how the replay finds it.
    await eventually(async () => {
      const saga = (await eventsOn(STREAMS.saga)).filter((e) => e.type === 'SagaTransitioned' && e.payload.sagaId === sagaId);
      expect(saga.at(-1)?.payload).toMatchObject({ checkoutId, to: 'SAGA_TERMINEE' });
    });
    // Its outcome reaches the checkout stream as the choreography's does, naming the saga.
    await eventually(async () => {
      const outcome = (await eventsOn(STREAMS.checkout)).find((e) => e.type === 'CheckoutSucceeded' && e.payload.checkoutId === checkoutId);
      expect(outcome).toMatchObject({ producer: 'saga-orchestrator', payload: { sagaId, orderId, totalCents: 2_700, clientId: 'ann' } });
    });
    // Its Location answers, from the orchestrator while this app's fold has not seen it (it does not consume here).
    const status = await api().get(res.headers['location'] as string).set('X-API-Key', TEST_API_KEY).expect(200);
    expect(status.body).toMatchObject({ checkoutId, status: 'SUCCEEDED', style: 'orchestrated', sagaId, sagaState: 'SAGA_TERMINEE', orderId, totalCents: 2_700 });
  });

  it('answers 404 CHECKOUT.NOT_FOUND for a checkout neither this app nor the orchestrator knows', async () => {
    const res = await api().get('/checkout/00000000-0000-4000-8000-000000000000').set('X-API-Key', TEST_API_KEY).expect(404);
    expect(res.body).toMatchObject({ code: 'CHECKOUT.NOT_FOUND' });
  });

  it('answers a repeated checkout, even several at once, with the same saga, and never runs a second one', async () => {
    await participants.product('OC-3', 10);
    const cartId = await cartWith('bob', [['OC-3', 3]]);
    const answers = await Promise.all(Array.from({ length: 3 }, () => checkout(cartId)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.sagaId)).size).toBe(1);
    const again = await checkout(cartId).expect(201);
    expect(again.body).toMatchObject({ sagaId: answers[0]!.body.sagaId, checkoutId: answers[0]!.body.checkoutId, state: 'SAGA_TERMINEE', cartId });
    expect(await participants.stockOf('OC-3')).toMatchObject({ available: 7, reserved: 0 });
    expect(await participants.ordersOf(answers[0]!.body.checkoutId)).toHaveLength(1);
    expect((await cartOf(cartId)).version).toBe(3);
  });

  it('passes a compensated saga through as 409 with its checkoutId and sagaId, and answers its repeat the same way', async () => {
    await participants.product('OC-4', 1);
    const cartId = await cartWith('cid', [['OC-4', 2]]);
    const res = await checkout(cartId).expect(409);
    expect(res.body).toMatchObject({ state: 'SAGA_ANNULEE', failedStep: 'stock', code: 'INVENTORY.INSUFFICIENT_STOCK', cartId, sagaId: expect.any(String) });
    expect(await cartOf(cartId)).toMatchObject({ status: 'CHECKED_OUT', checkoutId: res.body.checkoutId });
    const again = await checkout(cartId).expect(409);
    expect(again.body).toMatchObject({
      sagaId: res.body.sagaId,
      checkoutId: res.body.checkoutId,
      state: 'SAGA_ANNULEE',
      failedStep: 'stock',
      reason: res.body.reason,
    });
    // A checkout in the other style is another request: the cart reopens for it.
    const choreographed = await checkout(cartId, 'choreographed').expect(202);
    expect(choreographed.body).toMatchObject({ status: 'PENDING', cartId, mode: 'choreographed' });
    expect(choreographed.body.checkoutId).not.toBe(res.body.checkoutId);
    expect(await cartOf(cartId)).toMatchObject({ status: 'CHECKED_OUT', checkoutId: choreographed.body.checkoutId, reopenedAfter: [res.body.checkoutId] });
  });

  it('checks a cart out again after a declined payment: a new saga with the new card, the repeat of each request answered by its own saga', async () => {
    await participants.product('OC-5', 5, 400);
    const cartId = await cartWith('dan', [['OC-5', 2]]);
    const broke = { token: 'tok_insufficientFunds' };
    const declined = (await checkout(cartId, 'orchestrated', broke).expect(409)).body;
    expect(declined).toMatchObject({ state: 'SAGA_ANNULEE', failedStep: 'payment', code: 'PAYMENTS.INSUFFICIENT_FUNDS' });
    expect((await checkout(cartId, 'orchestrated', broke).expect(409)).body.sagaId).toBe(declined.sagaId);

    const paid = (await checkout(cartId).expect(201)).body;
    expect(paid).toMatchObject({ state: 'SAGA_TERMINEE', cartId, totalCents: 800 });
    expect(paid.checkoutId).not.toBe(declined.checkoutId);
    expect((await checkout(cartId).expect(201)).body.sagaId).toBe(paid.sagaId);
    // Once another checkout holds the cart, the declined request is answered with it: the cart is no longer that checkout's.
    expect((await checkout(cartId, 'orchestrated', broke).expect(201)).body.sagaId).toBe(paid.sagaId);
    expect(await participants.stockOf('OC-5')).toMatchObject({ available: 3, reserved: 0 });
    expect(await cartOf(cartId)).toMatchObject({ status: 'CHECKED_OUT', checkoutId: paid.checkoutId, reopenedAfter: [declined.checkoutId], version: 5 });
    const cartEvents = await eventually(async () => {
      const mine = (await eventsOn(STREAMS.carts)).filter((e) => e.correlationId === cartId);
      expect(mine).toHaveLength(5);
      return mine;
    });
    expect(cartEvents.slice(2).map((e) => e.type)).toEqual(['CartCheckedOut', 'CartReopened', 'CartCheckedOut']);
  });

  it('answers 503 while the orchestrator cannot say how the cart\'s checkout ended, and reopens the cart once it can', async () => {
    await participants.product('OC-6', 1);
    const cartId = await cartWith('eli', [['OC-6', 2]]);
    const { checkoutId } = (await checkout(cartId).expect(409)).body as { checkoutId: string };
    await orchestrator.stop();
    try {
      const res = await api().post(`/carts/${cartId}/items`).set('X-API-Key', TEST_API_KEY).send({ sku: 'OC-6', quantity: 1 });
      expect([res.status, res.body.code]).toEqual([503, 'SERVICE.UNAVAILABLE']);
      expect((await cartOf(cartId)).checkoutId).toBe(checkoutId);
    } finally {
      await orchestrator.restart();
    }
    await api().post(`/carts/${cartId}/items`).set('X-API-Key', TEST_API_KEY).send({ sku: 'OC-6', quantity: 1 }).expect(200);
    // The client retries an orchestrator that is down, and the orchestrator takes a few seconds to boot again.
  }, 60_000);
});
