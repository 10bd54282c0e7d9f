import { Controller, type INestMicroservice } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { type EventEnvelope, STREAMS } from '@app/contracts';
import { createLogger } from '@app/observability';
import { type EventBus, busServerFromConfig, createEventBus } from '@app/bus';
import { OnEvent, PermanentError } from '@app/redis-streams';
import {
  TEST_API_KEY,
  type TestApp,
  type TestDatabase,
  createTestDatabase,
  deleteKeysWithPrefix,
  deleteStreamsWithPrefix,
  eventually,
  startTestApp,
  testConfig,
} from '@app/testing';
import { EventStoreModule } from '../event-store.module.js';

/** The payment worker of this test: refuses every event until the "cause" is fixed. */
const cause = { fixed: false, handled: [] as string[] };

@Controller()
class FlakyPaymentHandler {
  @OnEvent('OrderCreated')
  handle(@Payload() event: EventEnvelope<'OrderCreated'>): void {
    if (!cause.fixed) throw new PermanentError(`No payment route for ${event.payload.checkoutId}`);
    cause.handled.push(event.eventId);
  }
}

async function startWorker(config: AppConfig): Promise<INestMicroservice> {
  const strategy = busServerFromConfig(config, {
    group: 'payment',
    blockMs: 200,
    claimIdleMs: 300,
    claimIntervalMs: 100,
    maxAttempts: 2,
    trim: false,
    logger: createLogger('test', config.LOG_LEVEL),
  });
  const moduleRef = await Test.createTestingModule({ controllers: [FlakyPaymentHandler] }).compile();
  const worker = moduleRef.createNestMicroservice({ strategy, logger: false });
  await worker.listen();
  return worker;
}

describe.each(['redis-streams', 'nats'] as const)('dead letters on %s: view and redrive', (bus) => {
  let db: TestDatabase;
  let app: TestApp;
  let worker: INestMicroservice;
  let publisher: EventBus;
  let config: AppConfig;
  const api = () => request(app.url);
  const published: EventEnvelope<'OrderCreated'>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('event_store_dead_letters');
    config = testConfig({ EVENT_STORE_DATABASE_URL: db.url, BUS: bus });
    Object.assign(cause, { fixed: false, handled: [] });
    published.length = 0;
    app = await startTestApp(EventStoreModule.register(config));
    worker = await startWorker(config);
    publisher = await createEventBus(config, 'test');
    for (const checkoutId of ['chk-dl-1', 'chk-dl-2', 'chk-dl-3']) {
      const payload = { checkoutId, clientId: 'zoe', orderId: `order-${checkoutId}`, totalCents: 100, paymentToken: 'tok_visa' };
      published.push(await publisher.publish('OrderCreated', payload, { correlationId: checkoutId }));
    }
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
    await publisher.close();
    const redis = new Redis(config.REDIS_URL);
    await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
    redis.disconnect();
    await deleteStreamsWithPrefix(config.NATS_URL, config.NATS_PREFIX);
    await db.drop();
  });

  it('lists dead-lettered events with their error, group and original envelope, paged', async () => {
    const letters = await eventually(async () => {
      const res = await api().get('/api/event-store/dead-letters').set('X-API-Key', TEST_API_KEY).expect(200);
      expect(res.body.deadLetters).toHaveLength(3);
      return res.body.deadLetters as { id: string; stream: string; group: string; error: string; event: EventEnvelope }[];
    });
    expect(letters.map((l) => l.event.eventId)).toEqual(published.map((e) => e.eventId));
    expect(letters[0]).toMatchObject({
      stream: STREAMS.checkout,
      originalStream: STREAMS.checkout,
      group: 'payment',
      error: expect.stringContaining('No payment route for chk-dl-1'),
    });

    const first = await api().get('/api/event-store/dead-letters').query({ stream: STREAMS.checkout, limit: 2 }).set('X-API-Key', TEST_API_KEY).expect(200);
    expect(first.body.deadLetters).toHaveLength(2);
    const rest = await api().get('/api/event-store/dead-letters').query({ after: first.body.next, limit: 2 }).set('X-API-Key', TEST_API_KEY).expect(200);
    expect(rest.body.deadLetters.map((l: { id: string }) => l.id)).toEqual([letters[2]!.id]);
    expect(rest.body.next).toBeNull();
  });

  it('refuses bad parameters with a 400 naming them, an unknown letter with a 404, and a missing key with a 401', async () => {
    const bad = await api().get('/api/event-store/dead-letters').query({ stream: 'nope', limit: 0 }).set('X-API-Key', TEST_API_KEY).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/stream must be one of/);
    expect(JSON.stringify(bad.body)).toMatch(/limit/);
    await api().post(`/api/event-store/dead-letters/${STREAMS.checkout}/not-an-id/redrive`).set('X-API-Key', TEST_API_KEY).expect(400);
    const missing = await api().post(`/api/event-store/dead-letters/${STREAMS.checkout}/1-0/redrive`).set('X-API-Key', TEST_API_KEY).expect(404);
    expect(missing.body.code).toBe('EVENT_STORE.DEAD_LETTER_NOT_FOUND');
    await api().get('/api/event-store/dead-letters').expect(401);
  });

  it('redrives one letter, then the rest, once the cause is fixed: each event is handled once and leaves the dead-letter stream', async () => {
    cause.fixed = true;
    const letters = (await api().get('/api/event-store/dead-letters').set('X-API-Key', TEST_API_KEY).expect(200)).body.deadLetters as { id: string }[];
    const one = await api().post(`/api/event-store/dead-letters/${STREAMS.checkout}/${letters[0]!.id}/redrive`).set('X-API-Key', TEST_API_KEY).expect(200);
    expect(one.body.redrivenAs).toMatch(/^\d+-\d+$/);
    // Moved, not copied: a second redrive of the same letter finds nothing.
    await api().post(`/api/event-store/dead-letters/${STREAMS.checkout}/${letters[0]!.id}/redrive`).set('X-API-Key', TEST_API_KEY).expect(404);
    await eventually(() => expect(cause.handled).toEqual([published[0]!.eventId]));

    const all = await api().post(`/api/event-store/dead-letters/${STREAMS.checkout}/redrive`).set('X-API-Key', TEST_API_KEY).expect(200);
    expect(all.body).toEqual({ stream: STREAMS.checkout, redriven: 2 });
    await eventually(() => expect([...cause.handled].sort()).toEqual(published.map((e) => e.eventId).sort()));
    const left = await api().get('/api/event-store/dead-letters').set('X-API-Key', TEST_API_KEY).expect(200);
    expect(left.body.deadLetters).toEqual([]);
  });
});
