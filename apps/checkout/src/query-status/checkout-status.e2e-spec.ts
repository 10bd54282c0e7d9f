import request from 'supertest';
import { type AnyEvent, createEnvelope } from '@app/contracts';
import { EventPublisher } from '@app/redis-streams';
import { TEST_API_KEY, type TestApp, type TestDatabase, createTestDatabase, eventually, startTestWorker, testConfig } from '@app/testing';
import { CHECKOUT_CONSUMER, CheckoutModule } from '../checkout.module.js';

/**
 * The status comes from the app's own fold of the events on the bus, in its own schema: the events
 * are published as the workers and the orchestrator publish them, and no other service's database
 * exists here.
 */
describe('checkout: GET /checkout/:checkoutId', () => {
  let checkoutDb: TestDatabase;
  let publisher: EventPublisher;
  let app: TestApp;

  const get = (id: string) => request(app.url).get(`/checkout/${id}`).set('X-API-Key', TEST_API_KEY);
  const start = async (clientId: string) =>
    (
      await request(app.url)
        .post('/checkout/choreo')
        .set('X-API-Key', TEST_API_KEY)
        .send({ clientId, items: [{ sku: 'S-1', quantity: 1 }], payment: { token: 'tok_visa' } })
        .expect(202)
    ).body.checkoutId as string;
  /** The status once the app has folded what was published. */
  const statusOnce = (id: string, expected: object) =>
    eventually(async () => {
      const { body } = await get(id).expect(200);
      expect(body).toMatchObject(expected);
      return body as Record<string, unknown>;
    });
  /** Publishes the checkout's next events once the app has folded its CheckoutInitiated, so they fold after it. */
  const project = async (checkoutId: string, clientId: string, build: (ref: { checkoutId: string; clientId: string }) => AnyEvent[]) => {
    await statusOnce(checkoutId, { lastEventType: 'CheckoutInitiated' });
    await publisher.publishMany(build({ checkoutId, clientId }));
  };
  const ctx = (checkoutId: string) => ({ correlationId: checkoutId, producer: 'test' });

  beforeAll(async () => {
    checkoutDb = await createTestDatabase('checkout_status');
    const config = testConfig({ CHECKOUT_DATABASE_URL: checkoutDb.url, STREAM_BLOCK_MS: 200 });
    app = await startTestWorker(CheckoutModule.register(config), { ...CHECKOUT_CONSUMER, config });
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'test' });
  });

  afterAll(async () => {
    await app?.close();
    await publisher?.close();
    await checkoutDb?.drop();
  });

  it('is PENDING once accepted, before the read model has seen it, and while its events are not terminal', async () => {
    const checkoutId = await start('ann');
    expect((await get(checkoutId).expect(200)).body).toMatchObject({ checkoutId, status: 'PENDING', clientId: 'ann', acceptedAt: expect.any(String) });
    await project(
      checkoutId,
      'ann',
      (ref) =>
        [
          createEnvelope('CheckoutInitiated', { ...ref, items: [{ sku: 'S-1', quantity: 1 }], paymentToken: 'tok_visa' }, ctx(ref.checkoutId)),
          createEnvelope('OrderCreated', { ...ref, orderId: 'o-1', totalCents: 900, paymentToken: 'tok_visa' }, ctx(ref.checkoutId)),
        ] as AnyEvent[],
    );
    await statusOnce(checkoutId, { checkoutId, status: 'PENDING', orderId: 'o-1', lastEventType: 'OrderCreated' });
  });

  it('is SUCCEEDED with its order and total once CheckoutSucceeded is projected', async () => {
    const checkoutId = await start('ben');
    await project(
      checkoutId,
      'ben',
      (ref) => [createEnvelope('CheckoutSucceeded', { ...ref, orderId: 'o-2', totalCents: 1_500 }, ctx(ref.checkoutId))] as AnyEvent[],
    );
    await statusOnce(checkoutId, {
      checkoutId,
      status: 'SUCCEEDED',
      orderId: 'o-2',
      totalCents: 1_500,
      style: 'choreographed',
    });
  });

  it('is FAILED with the step, code and reason once CheckoutFailed is projected', async () => {
    const checkoutId = await start('cid');
    await project(
      checkoutId,
      'cid',
      (ref) =>
        [
          createEnvelope('PaymentFailed', { ...ref, orderId: 'o-3', code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' }, ctx(ref.checkoutId)),
          createEnvelope('CheckoutFailed', { ...ref, failedStep: 'payment', code: 'PAYMENTS.CARD_DECLINED', reason: 'Card declined' }, ctx(ref.checkoutId)),
        ] as AnyEvent[],
    );
    await statusOnce(checkoutId, {
      checkoutId,
      status: 'FAILED',
      failedStep: 'payment',
      code: 'PAYMENTS.CARD_DECLINED',
      reason: 'Card declined',
    });
  });

  it('finds an orchestrated checkout, which this app did not accept, once its outcome is on the checkout stream', async () => {
    const ref = { checkoutId: 'saga-1', clientId: 'dee' };
    await publisher.publishMany([createEnvelope('CheckoutSucceeded', { ...ref, sagaId: 'saga-1', orderId: 'o-4', totalCents: 800 }, ctx('saga-1'))] as AnyEvent[]);
    await statusOnce('saga-1', { checkoutId: 'saga-1', status: 'SUCCEEDED', style: 'orchestrated', sagaId: 'saga-1', sagaState: 'SAGA_TERMINEE', orderId: 'o-4' });
  });

  it('answers 503 SAGA.UNAVAILABLE for a checkout it does not know while the orchestrator cannot be asked, 400 for a malformed id, 401 without a key', async () => {
    // No orchestrator runs here: the checkout may be an orchestrated one still running, so this app cannot say 404 (that case is in the orchestrated cart checkout's suite).
    expect((await get('00000000-0000-4000-8000-000000000000').expect(503)).body).toMatchObject({ code: 'SAGA.UNAVAILABLE', message: expect.stringContaining('saga-orchestrator status') });
    expect((await get('a%20b').expect(400)).body.fields).toEqual(['checkoutId']);
    await request(app.url).get('/checkout/anything').expect(401);
  });
});
