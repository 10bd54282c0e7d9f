import { jest } from '@jest/globals';
import request from 'supertest';
import {
  BOOT_TIMEOUT_MS,
  Choreography,
  Participants,
  ServiceProcess,
  TEST_API_KEY,
  type TestDatabase,
  createTestDatabase,
  eventually,
  testConfig,
} from '@app/testing';

// Checkouts cross several processes on a busy machine.
jest.setTimeout(60_000);

type LogLine = Record<string, unknown>;

const INFO = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const jsonLines = (logs: string): LogLine[] =>
  logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

const order = (sku: string, token: string) => ({ clientId: 'log-client', items: [{ sku, quantity: 1 }], payment: { token } });

/**
 * What the logs say about a checkout at the default level (info): one line for its outcome and one
 * per compensation, each naming the checkout, in both styles; and the entry points answer with the
 * correlation id of the request, generated when the client sent none, which its request line carries.
 */
describe('checkout logs: outcomes, compensations and the entry points’ correlation id', () => {
  const config = testConfig();
  let participants: Participants;
  let choreography: Choreography;
  let orchestrator: ServiceProcess;
  let checkout: ServiceProcess;
  const databases: TestDatabase[] = [];

  /** The info lines of a process about one checkout. */
  const infoAbout = (service: ServiceProcess, checkoutId: string): LogLine[] =>
    jsonLines(service.logs).filter((l) => l['level'] === INFO && l['checkoutId'] === checkoutId);
  /** The request line of an entry point, logged at debug once the answer is sent. */
  const requestLine = (service: ServiceProcess, url: string, correlationId: string): LogLine | undefined =>
    jsonLines(service.logs).find((l) => l['msg'] === 'request' && l['url'] === url && l['correlationId'] === correlationId);

  beforeAll(async () => {
    process.setMaxListeners(32);
    participants = await Participants.start({ label: 'checkout_logs', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    await participants.product('LOG-1', 50, 1_000);
    const [sagaDb, checkoutDb] = await Promise.all([createTestDatabase('checkout_logs_saga'), createTestDatabase('checkout_logs_checkout')]);
    databases.push(sagaDb, checkoutDb);
    const env = {
      API_KEYS: TEST_API_KEY,
      INTERNAL_API_KEY: TEST_API_KEY,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
      ...participants.urls,
    };
    // The saga workers at the default level; the entry points at debug, where requests are logged.
    choreography = await Choreography.start({ participants, apiKey: TEST_API_KEY, config, env: { LOG_LEVEL: 'info' } });
    orchestrator = await ServiceProcess.start('saga-orchestrator', { ...env, LOG_LEVEL: 'debug', SAGA_DATABASE_URL: sagaDb.url });
    checkout = await ServiceProcess.start('checkout', {
      ...env,
      LOG_LEVEL: 'debug',
      CHECKOUT_DATABASE_URL: checkoutDb.url,
      EVENT_STORE_DATABASE_URL: checkoutDb.url,
      SAGA_ORCHESTRATOR_URL: orchestrator.url,
    });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([orchestrator?.stop(), checkout?.stop()]);
    await choreography?.stop();
    await participants?.stop();
    await Promise.all(databases.map((db) => db.drop()));
  });

  describe('orchestrated', () => {
    const start = (token: string) => request(orchestrator.url).post('/api/saga/checkout').set('X-API-Key', TEST_API_KEY).send(order('LOG-1', token));

    it('logs the outcome of a checkout that succeeds, and answers with a new correlation id its request line carries', async () => {
      const res = await start('tok_visa').expect(201);
      const correlationId = res.headers['x-correlation-id'] as string;
      expect(correlationId).toMatch(UUID);
      const { checkoutId, orderId } = res.body as { checkoutId: string; orderId: string };
      await eventually(() => expect(requestLine(orchestrator, '/api/saga/checkout', correlationId)).toMatchObject({ status: 201 }));
      await eventually(() =>
        expect(infoAbout(orchestrator, checkoutId)).toEqual([
          expect.objectContaining({
            msg: `Checkout ${checkoutId} succeeded`,
            pattern: 'orchestrated',
            outcome: 'succeeded',
            orderId,
            correlationId: checkoutId,
          }),
        ]),
      );
    });

    it('logs the compensation and the outcome of a declined checkout', async () => {
      const res = await start('tok_chargeDeclined').expect(409);
      const { checkoutId } = res.body as { checkoutId: string };
      // The answer can arrive before the process's output is read.
      await eventually(() =>
        expect(infoAbout(orchestrator, checkoutId)).toEqual([
          expect.objectContaining({ msg: `Checkout ${checkoutId} compensated: cancelOrder, releaseStock`, compensation: ['cancelOrder', 'releaseStock'] }),
          expect.objectContaining({ msg: `Checkout ${checkoutId} failed at payment: PAYMENTS.CARD_DECLINED`, outcome: 'failed', failedStep: 'payment' }),
        ]),
      );
    });

    it('returns the client’s own correlation id, and refuses nothing for it', async () => {
      const res = await start('tok_visa').set('X-Correlation-Id', 'client-chosen-1').expect(201);
      expect(res.headers['x-correlation-id']).toBe('client-chosen-1');
    });

    it('answers a bad request with its correlation id too', async () => {
      const res = await request(orchestrator.url).post('/api/saga/checkout').set('X-API-Key', TEST_API_KEY).send({ clientId: 'x' }).expect(400);
      expect(res.headers['x-correlation-id']).toMatch(UUID);
    });
  });

  describe('choreographed', () => {
    const start = (token: string) => request(checkout.url).post('/checkout/choreo').set('X-API-Key', TEST_API_KEY).send(order('LOG-1', token));
    const worker = (name: Parameters<Choreography['worker']>[0]) => choreography.worker(name);

    it('logs the outcome of a checkout that succeeds, and answers with a new correlation id its request line carries', async () => {
      const res = await start('tok_visa').expect(202);
      const correlationId = res.headers['x-correlation-id'] as string;
      expect(correlationId).toMatch(UUID);
      const { checkoutId } = res.body as { checkoutId: string };
      await eventually(() => expect(requestLine(checkout, '/checkout/choreo', correlationId)).toMatchObject({ status: 202 }));
      await eventually(() =>
        expect(infoAbout(worker('order-confirmation-worker'), checkoutId)).toEqual([
          expect.objectContaining({ msg: `Checkout ${checkoutId} succeeded`, pattern: 'choreographed', outcome: 'succeeded', correlationId: checkoutId }),
        ]),
      );
    });

    it('logs each compensation and the outcome of a declined checkout', async () => {
      const { checkoutId } = (await start('tok_chargeDeclined').expect(202)).body as { checkoutId: string };
      await eventually(() => {
        expect(infoAbout(worker('order-compensation-worker'), checkoutId)).toEqual([
          expect.objectContaining({
            msg: expect.stringMatching(new RegExp(`^Checkout ${checkoutId} compensated: order .+ cancelled$`)),
            compensation: 'cancelOrder',
          }),
        ]);
        expect(infoAbout(worker('stock-compensation-worker'), checkoutId)).toEqual([
          expect.objectContaining({ msg: `Checkout ${checkoutId} compensated: stock released`, compensation: 'releaseStock' }),
          expect.objectContaining({ msg: `Checkout ${checkoutId} failed at payment: PAYMENTS.CARD_DECLINED`, outcome: 'failed' }),
        ]);
      });
    });

    it('answers a cart checkout with a correlation id as well', async () => {
      const cart = await request(checkout.url).post('/carts').set('X-API-Key', TEST_API_KEY).send({ clientId: 'log-client' }).expect(201);
      const cartId = (cart.body as { cartId: string }).cartId;
      await request(checkout.url).post(`/carts/${cartId}/items`).set('X-API-Key', TEST_API_KEY).send({ sku: 'LOG-1', quantity: 1 }).expect(200);
      const res = await request(checkout.url)
        .post(`/carts/${cartId}/checkout?mode=orchestrated`)
        .set('X-API-Key', TEST_API_KEY)
        .send({ payment: { token: 'tok_visa' } });
      expect(res.status).toBeLessThan(300);
      const correlationId = res.headers['x-correlation-id'] as string;
      expect(correlationId).toMatch(UUID);
      // The orchestrator ran the saga under the cart request's correlation id.
      await eventually(() => expect(requestLine(orchestrator, '/api/saga/checkout', correlationId)).toMatchObject({ status: 201 }));
    });
  });
});
