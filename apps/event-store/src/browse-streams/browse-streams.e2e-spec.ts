import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { STREAMS, STREAM_OF } from '@app/contracts';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE, appendEvents } from '@app/event-store';
import { EventPublisher } from '@app/redis-streams';
import {
  TEST_API_KEY,
  type TestApp,
  type TestDatabase,
  choreographedCheckout,
  createTestDatabase,
  deleteKeysWithPrefix,
  startTestApp,
  testConfig,
} from '@app/testing';
import { EventStoreModule } from '../event-store.module.js';

describe('event-store app: streams with their consumer groups', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: TestApp;
  let store: DataSource;
  let redis: Redis;
  let publisher: EventPublisher;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_streams');
    config = testConfig({ EVENT_STORE_DATABASE_URL: db.url });
    app = await startTestApp(EventStoreModule.register(config));
    store = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
    redis = new Redis(config.REDIS_URL);
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'test' });
  });

  afterAll(async () => {
    await publisher.close();
    await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
    await redis.quit();
    await store.destroy();
    await app.close();
    await db.drop();
  });

  it("reports each group's pending and lag, the bus length and the stored events of every stream", async () => {
    const key = `${config.REDIS_KEY_PREFIX}${STREAMS.checkout}`;
    const events = choreographedCheckout('declined', { checkoutId: 'chk-s', clientId: 'sam' });
    // `audit` read 3 of the 7 entries and acknowledged 1; `late` joined after them all.
    await redis.xgroup('CREATE', key, 'audit', '0', 'MKSTREAM');
    await publisher.publishMany(events);
    await redis.xgroup('CREATE', key, 'late', '$');
    const read = (await redis.xreadgroup('GROUP', 'audit', 'audit-1', 'COUNT', 3, 'STREAMS', key, '>')) as [string, [string, string[]][]][];
    await redis.xack(key, 'audit', read[0]![1][0]![0]);
    await appendEvents(
      store,
      events.slice(0, 4).map((event) => ({ stream: STREAM_OF[event.type], event })),
    );

    const listing = (await request(app.url).get('/api/event-store/streams').set('X-API-Key', TEST_API_KEY).expect(200)).body;
    expect(listing).toEqual([
      {
        stream: STREAMS.checkout,
        busLength: 7,
        storedEvents: 4,
        deadLetters: 0,
        groups: [
          { name: 'audit', consumers: 1, pending: 2, lag: 4, lastDeliveredId: read[0]![1][2]![0], oldestPendingId: read[0]![1][1]![0] },
          { name: 'late', consumers: 0, pending: 0, lag: 0, lastDeliveredId: expect.any(String), oldestPendingId: null },
        ],
      },
      { stream: STREAMS.saga, busLength: 0, storedEvents: 0, deadLetters: 0, groups: [] },
      { stream: STREAMS.carts, busLength: 0, storedEvents: 0, deadLetters: 0, groups: [] },
      { stream: STREAMS.shipping, busLength: 0, storedEvents: 0, deadLetters: 0, groups: [] },
    ]);
    await request(app.url).get('/api/event-store/streams').expect(401);
  });

  it('answers 404 for a client without orders', async () => {
    const res = await request(app.url).get('/api/event-store/cqrs/orders-by-client/nobody').set('X-API-Key', TEST_API_KEY).expect(404);
    expect(res.body).toMatchObject({ code: 'CQRS.CLIENT_NOT_FOUND' });
  });
});
