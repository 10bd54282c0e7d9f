import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { STREAMS } from '@app/contracts';
import { EventPublisher, eventStreamGroupStats } from '@app/redis-streams';
import {
  BOOT_TIMEOUT_MS,
  CheckoutStream,
  Participants,
  ServiceProcess,
  TEST_API_KEY,
  type TestDatabase,
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  testConfig,
} from '@app/testing';

// Checkouts cross several processes on a busy machine.
jest.setTimeout(60_000);

/** A key the participants do not accept. */
const WRONG_KEY = 'not-the-participants-key';

/**
 * The participants accept one key; an orchestrator and a saga worker are deployed with another.
 * A participant's 401 is then a configuration fault, never a business refusal: the orchestrator
 * answers 503 (not 409), the choreography leaves the event pending for redelivery instead of failing
 * the checkout, and the readiness of both says which setting is wrong.
 */
describe('a participant refusing INTERNAL_API_KEY', () => {
  const config = testConfig();
  let participants: Participants;
  let sagaDb: TestDatabase;
  let orchestrator: ServiceProcess;
  let worker: ServiceProcess;
  let publisher: EventPublisher;
  let stream: CheckoutStream;
  let redis: Redis;

  beforeAll(async () => {
    participants = await Participants.start({ label: 'key_refused', apiKey: TEST_API_KEY, createDatabase: createTestDatabase });
    await participants.product('KEY-1', 5, 1_000);
    sagaDb = await createTestDatabase('key_refused_saga');
    // INTERNAL_API_KEY is left unset: it is then the first of API_KEYS, which the participants refuse.
    const misconfigured = {
      API_KEYS: WRONG_KEY,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
      PARTICIPANT_RETRIES: '1',
      STREAM_BLOCK_MS: '200',
      STREAM_CLAIM_IDLE_MS: '1000',
      STREAM_CLAIM_INTERVAL_MS: '500',
      ...participants.urls,
    };
    [orchestrator, worker] = await Promise.all([
      ServiceProcess.start('saga-orchestrator', { ...misconfigured, SAGA_DATABASE_URL: sagaDb.url }),
      ServiceProcess.start('stock-reservation-worker', misconfigured),
    ]);
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'checkout' });
    stream = new CheckoutStream(config.REDIS_URL, config.REDIS_KEY_PREFIX);
    redis = new Redis(config.REDIS_URL);
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([orchestrator?.stop(), worker?.stop()]);
    await stream?.close();
    await publisher?.close();
    if (redis !== undefined) await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
    redis?.disconnect();
    await participants?.stop();
    await sagaDb?.drop();
  });

  it('orchestrated: answers 503 with INVENTORY.INTERNAL_KEY_REFUSED, not a business 409, and takes no stock', async () => {
    const res = await request(orchestrator.url)
      .post('/api/saga/checkout')
      .set('X-API-Key', WRONG_KEY)
      .send({ clientId: 'kim', items: [{ sku: 'KEY-1', quantity: 1 }], payment: { token: 'tok_visa' } });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ state: 'SAGA_ANNULEE', failedStep: 'stock', code: 'INVENTORY.INTERNAL_KEY_REFUSED' });
    expect(res.body.reason).toMatch(/INTERNAL_API_KEY/);
    expect(await participants.stockOf('KEY-1')).toMatchObject({ available: 5, reserved: 0 });
  });

  it.each(['orchestrator', 'worker'])('%s: /health is not ready and names INTERNAL_API_KEY, /health/live still answers', async (which) => {
    const app = which === 'orchestrator' ? orchestrator : worker;
    const res = await request(app.url).get('/health').expect(503);
    for (const participant of ['inventory', 'orders', 'payments']) {
      expect(res.body.error[`${participant}-key`]).toEqual({
        status: 'down',
        message: expect.stringMatching(new RegExp(`^${participant} refuses INTERNAL_API_KEY \\(HTTP 401\\)`)),
      });
    }
    await request(app.url).get('/health/live').expect(200);
  });

  it('choreographed: leaves the event pending instead of failing the checkout, and goes on once the key is right', async () => {
    const checkoutId = randomUUID();
    await publisher.publish(
      'CheckoutInitiated',
      { checkoutId, clientId: 'kim', items: [{ sku: 'KEY-1', quantity: 2 }], paymentToken: 'tok_visa' },
      { correlationId: checkoutId },
    );
    await eventually(
      async () => {
        const group = (await eventStreamGroupStats(redis, config.REDIS_KEY_PREFIX, STREAMS.checkout)).find((g) => g.name === 'stock-reservation');
        expect(group).toMatchObject({ pending: 1 });
      },
      { timeoutMs: 15_000 },
    );
    expect((await stream.eventsOf(checkoutId)).map((e) => e.type)).toEqual(['CheckoutInitiated']);

    await worker.stop();
    await worker.restart({ API_KEYS: TEST_API_KEY });
    await eventually(async () => expect((await stream.eventsOf(checkoutId)).map((e) => e.type)).toEqual(['CheckoutInitiated', 'StockReserved']), {
      timeoutMs: 20_000,
    });
    expect(await participants.stockOf('KEY-1')).toMatchObject({ available: 3, reserved: 2 });
    await request(worker.url).get('/health').expect(200);
  });
});
