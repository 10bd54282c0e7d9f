import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { type AnyEvent, SEALED_PAYMENT_TOKEN, STREAMS, createEnvelope } from '@app/contracts';
import { checkoutStatusModel, projectEvents } from '@app/event-store';
import { foldCart } from '@app/projections';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, eventually, startTestApp, testConfig } from '@app/testing';
import { CheckoutModule } from '../checkout.module.js';

const visa = { token: 'tok_visa' };

describe('checkout: event-sourced carts', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: TestApp;
  let redis: Redis;
  let store: DataSource;

  const api = () => request(app.url);
  const create = async (clientId = 'ann') => (await api().post('/carts').set('X-API-Key', TEST_API_KEY).send({ clientId }).expect(201)).body.cartId as string;
  const add = (cartId: string, sku: string, quantity: number) => api().post(`/carts/${cartId}/items`).set('X-API-Key', TEST_API_KEY).send({ sku, quantity });
  const remove = (cartId: string, sku: string) => api().delete(`/carts/${cartId}/items/${sku}`).set('X-API-Key', TEST_API_KEY);
  const get = (cartId: string) => api().get(`/carts/${cartId}`).set('X-API-Key', TEST_API_KEY);
  const checkout = (cartId: string, mode = 'choreographed', body: object = { payment: visa }) =>
    api().post(`/carts/${cartId}/checkout`).query({ mode }).set('X-API-Key', TEST_API_KEY).send(body);
  const eventsOn = async (stream: string): Promise<AnyEvent[]> =>
    (await redis.xrange(`${config.REDIS_KEY_PREFIX}${stream}`, '-', '+')).map(([, fields]) => JSON.parse(fields[1]!) as AnyEvent);
  /** The cart's events as the bus carries them, once `count` of them are there. */
  const published = (cartId: string, count: number) =>
    eventually(async () => {
      const mine = (await eventsOn(STREAMS.carts)).filter((e) => e.correlationId === cartId);
      expect(mine).toHaveLength(count);
      return mine;
    });

  beforeAll(async () => {
    db = await createTestDatabase('checkout_carts');
    config = testConfig({ CHECKOUT_DATABASE_URL: db.url, EVENT_STORE_DATABASE_URL: db.url });
    app = await startTestApp(CheckoutModule.register(config), 'checkout');
    redis = new Redis(config.REDIS_URL);
    // The app's own checkout_view, which its consumer keeps: the tests play the events' arrival.
    store = app.app.get(DataSource);
  });

  afterAll(async () => {
    redis?.disconnect();
    await app?.close();
    await db?.drop();
  });

  it('goes through its life cycle, each change an event on ecommerce.carts.events, and reads as the fold of those events', async () => {
    const created = await api().post('/carts').set('X-API-Key', TEST_API_KEY).send({ clientId: 'ann' }).expect(201);
    const { cartId } = created.body as { cartId: string };
    expect(created.body).toMatchObject({ cartId, clientId: 'ann', status: 'OPEN', items: [], version: 1 });
    expect(created.headers['location']).toBe(`/carts/${cartId}`);
    await add(cartId, 'A-1', 2).expect(200);
    await add(cartId, 'B-1', 1).expect(200);
    expect((await add(cartId, 'A-1', 3).expect(200)).body.items).toEqual([
      { sku: 'A-1', quantity: 5 },
      { sku: 'B-1', quantity: 1 },
    ]);
    expect((await remove(cartId, 'B-1').expect(200)).body).toMatchObject({ items: [{ sku: 'A-1', quantity: 5 }], version: 5 });
    // Removing what is not there changes nothing and appends nothing.
    expect((await remove(cartId, 'B-1').expect(200)).body.version).toBe(5);

    const events = await published(cartId, 5);
    expect(events.map((e) => e.type)).toEqual(['CartCreated', 'CartItemAdded', 'CartItemAdded', 'CartItemAdded', 'CartItemRemoved']);
    expect(events.every((e) => e.producer === 'checkout' && e.correlationId === cartId)).toBe(true);
    expect((await get(cartId).expect(200)).body).toEqual(foldCart(events));
  });

  it('keeps every one of many concurrent adds (no lost update)', async () => {
    const cartId = await create('bob');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => add(cartId, i % 2 === 0 ? 'C-1' : 'C-2', 1 + (i % 3))));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 12 }, () => 200));
    const cart = (await get(cartId).expect(200)).body;
    expect(cart.items).toEqual(
      expect.arrayContaining([
        { sku: 'C-1', quantity: 1 + 3 + 2 + 1 + 3 + 2 },
        { sku: 'C-2', quantity: 2 + 1 + 3 + 2 + 1 + 3 },
      ]),
    );
    expect(cart.version).toBe(13);
    const versions = await published(cartId, 13);
    expect(new Set(versions.map((e) => e.eventId)).size).toBe(13);
  });

  it('checks out choreographed: 202 with a Location, CartCheckedOut, and a CheckoutInitiated that carries the cart', async () => {
    const cartId = await create('carl');
    await add(cartId, 'D-2', 1).expect(200);
    await add(cartId, 'D-1', 2).expect(200);
    const res = await checkout(cartId).expect(202);
    const { checkoutId } = res.body as { checkoutId: string };
    expect(res.body).toEqual({ checkoutId, status: 'PENDING', cartId, mode: 'choreographed' });
    expect(res.headers['location']).toBe(`/checkout/${checkoutId}`);

    const cartEvents = await published(cartId, 4);
    const checkedOut = cartEvents.at(-1)!;
    expect(checkedOut).toMatchObject({ type: 'CartCheckedOut', payload: { cartId, checkoutId, mode: 'choreographed' } });
    const initiated = await eventually(async () => {
      const found = (await eventsOn(STREAMS.checkout)).find((e) => e.type === 'CheckoutInitiated' && e.payload.checkoutId === checkoutId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(initiated).toMatchObject({
      correlationId: checkoutId,
      causationId: checkedOut.eventId,
      payload: {
        checkoutId,
        clientId: 'carl',
        cartId,
        paymentToken: expect.stringMatching(SEALED_PAYMENT_TOKEN),
        items: [
          { sku: 'D-1', quantity: 2 },
          { sku: 'D-2', quantity: 1 },
        ],
      },
    });
    expect((await get(cartId).expect(200)).body).toMatchObject({ status: 'CHECKED_OUT', checkoutId, mode: 'choreographed', version: 4 });
    expect((await api().get(`/checkout/${checkoutId}`).set('X-API-Key', TEST_API_KEY).expect(200)).body).toMatchObject({ status: 'PENDING', cartId });

    // A repeat, even several at once, answers with the same checkout and records nothing more.
    const repeats = await Promise.all(Array.from({ length: 4 }, () => checkout(cartId)));
    expect(repeats.map((r) => [r.status, r.body.checkoutId])).toEqual(Array.from({ length: 4 }, () => [202, checkoutId]));
    expect((await get(cartId).expect(200)).body.version).toBe(4);
    expect((await eventsOn(STREAMS.checkout)).filter((e) => e.type === 'CheckoutInitiated' && e.payload.cartId === cartId)).toHaveLength(1);
  });

  it('refuses changes and a checkout in the other style after checkout (409 CART.CHECKED_OUT)', async () => {
    const cartId = await create('dee');
    await add(cartId, 'E-1', 1).expect(200);
    const { checkoutId } = (await checkout(cartId).expect(202)).body as { checkoutId: string };
    for (const res of [await add(cartId, 'E-1', 1), await remove(cartId, 'E-1'), await checkout(cartId, 'orchestrated')]) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'CART.CHECKED_OUT', cartId, checkoutId });
    }
    expect((await get(cartId).expect(200)).body.items).toEqual([{ sku: 'E-1', quantity: 1 }]);
  });

  it('reopens a cart whose checkout failed: changed and checked out again as a new checkout, a repeat of either request idempotent', async () => {
    const cartId = await create('gus');
    await add(cartId, 'R-1', 1).expect(200);
    const broke = { payment: { token: 'tok_insufficientFunds' } };
    const failedId = (await checkout(cartId, 'choreographed', broke).expect(202)).body.checkoutId as string;
    // Still pending: the cart stays checked out, and a new payment does not start another checkout.
    expect((await add(cartId, 'R-2', 1).expect(409)).body).toMatchObject({ code: 'CART.CHECKED_OUT', checkoutId: failedId });
    expect((await checkout(cartId).expect(202)).body.checkoutId).toBe(failedId);

    const failure = { checkoutId: failedId, clientId: 'gus', failedStep: 'payment' as const, code: 'PAYMENTS.INSUFFICIENT_FUNDS', reason: 'Your card has insufficient funds.' };
    await projectEvents(store, [createEnvelope('CheckoutFailed', failure, { correlationId: failedId, producer: 'test' })], [checkoutStatusModel]);

    // The same request again is the same checkout; a new payment, after the failure, is a new checkout.
    expect((await checkout(cartId, 'choreographed', broke).expect(202)).body.checkoutId).toBe(failedId);
    const res = await checkout(cartId).expect(202);
    const checkoutId = res.body.checkoutId as string;
    expect(checkoutId).not.toBe(failedId);
    expect((await checkout(cartId).expect(202)).body.checkoutId).toBe(checkoutId);

    const cartEvents = await published(cartId, 5);
    expect(cartEvents.slice(2).map((e) => [e.type, e.payload])).toEqual([
      ['CartCheckedOut', { cartId, checkoutId: failedId, mode: 'choreographed' }],
      ['CartReopened', { cartId, checkoutId: failedId }],
      ['CartCheckedOut', { cartId, checkoutId, mode: 'choreographed' }],
    ]);
    expect((await get(cartId).expect(200)).body).toMatchObject({ status: 'CHECKED_OUT', checkoutId, reopenedAfter: [failedId], version: 5 });
    const initiated = (await eventsOn(STREAMS.checkout)).filter((e) => e.type === 'CheckoutInitiated' && e.payload.cartId === cartId);
    expect(initiated.map((e) => (e.payload as { checkoutId: string }).checkoutId)).toEqual([failedId, checkoutId]);
  });

  it('reopens a cart whose checkout failed when it is changed, keeping its items', async () => {
    const cartId = await create('hal');
    await add(cartId, 'S-1', 2).expect(200);
    const failedId = (await checkout(cartId).expect(202)).body.checkoutId as string;
    const failure = { checkoutId: failedId, clientId: 'hal', failedStep: 'stock' as const, code: 'INVENTORY.INSUFFICIENT_STOCK', reason: 'Not enough S-1' };
    await projectEvents(store, [createEnvelope('CheckoutFailed', failure, { correlationId: failedId, producer: 'test' })], [checkoutStatusModel]);

    expect((await remove(cartId, 'S-1').expect(200)).body).toMatchObject({ status: 'OPEN', items: [], reopenedAfter: [failedId], version: 5 });
    await add(cartId, 'S-2', 1).expect(200);
    expect((await published(cartId, 6)).slice(3).map((e) => e.type)).toEqual(['CartReopened', 'CartItemRemoved', 'CartItemAdded']);
    expect((await checkout(cartId).expect(202)).body.checkoutId).not.toBe(failedId);
  });

  it('answers 404 CART.NOT_FOUND for an unknown cart, 422 CART.EMPTY for an empty checkout', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const res of [await get(unknown), await add(unknown, 'A', 1), await remove(unknown, 'A'), await checkout(unknown)]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CART.NOT_FOUND');
    }
    const cartId = await create('eve');
    expect((await checkout(cartId).expect(422)).body).toMatchObject({ code: 'CART.EMPTY', cartId });
    await add(cartId, 'F-1', 1).expect(200);
    await remove(cartId, 'F-1').expect(200);
    expect((await checkout(cartId, 'orchestrated').expect(422)).body.code).toBe('CART.EMPTY');
  });

  it('answers 400 naming the field for a bad mode, sku, quantity, payment or client, and 401 without a key', async () => {
    const cartId = await create('fay');
    expect((await add(cartId, 'bad sku', 1).expect(400)).body.fields).toEqual(['sku']);
    expect((await add(cartId, 'G-1', 0).expect(400)).body.fields).toEqual(['quantity']);
    expect((await add(cartId, 'G-1', 1.5).expect(400)).body.fields).toEqual(['quantity']);
    expect((await remove(cartId, 'bad%20sku').expect(400)).body.fields).toEqual(['sku']);
    await add(cartId, 'G-1', 1).expect(200);
    expect((await checkout(cartId, 'sideways').expect(400)).body.fields).toEqual(['mode']);
    expect((await checkout(cartId, 'choreographed', { payment: { token: 'visa' } }).expect(400)).body.fields).toEqual(['payment.token']);
    expect((await api().post('/carts').set('X-API-Key', TEST_API_KEY).send({}).expect(400)).body.fields).toEqual(['clientId']);
    await api().post('/carts').send({ clientId: 'fay' }).expect(401);
    expect((await get(cartId).expect(200)).body).toMatchObject({ status: 'OPEN', version: 2 });
  });
});
