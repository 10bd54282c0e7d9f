import { Redis } from 'ioredis';
import pg from 'pg';
import type { AppConfig } from '@app/config';
import { type AnyEvent, STREAMS, createEnvelope } from '@app/contracts';
import { EventPublisher, streamGroupStats } from '@app/redis-streams';
import {
  type ChoreographyEnding,
  type TestApp,
  type TestDatabase,
  choreographedCheckout,
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  interleave,
  seriesValue,
  startTestWorker,
  testConfig,
} from '@app/testing';
import { NOTIFICATION_WORKER, NotificationWorkerModule } from '../notification-worker.module.js';

const ENDINGS: ChoreographyEnding[] = ['succeeded', 'declined', 'out-of-stock', 'over-limit'];

describe('notification worker (Redis + PostgreSQL)', () => {
  let testDb: TestDatabase;
  let config: AppConfig;
  let worker: TestApp;
  let publisher: EventPublisher;
  let redis: Redis;
  let sql: pg.Pool;

  beforeAll(async () => {
    testDb = await createTestDatabase('notification_worker');
    config = testConfig({ NOTIFICATIONS_DATABASE_URL: testDb.url, STREAM_BLOCK_MS: 200 });
    worker = await startTestWorker(NotificationWorkerModule.register(config), { ...NOTIFICATION_WORKER, config });
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'test' });
    redis = new Redis(config.REDIS_URL);
    sql = new pg.Pool({ connectionString: testDb.url, options: '-c search_path=notification', max: 2 });
  });

  afterAll(async () => {
    await worker.close();
    await publisher.close();
    await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
    await redis.quit();
    await sql.end();
    await testDb.drop();
  });

  it('records one notification per checkout: the first terminal event wins over redeliveries and late contradictions', async () => {
    const checkouts = Array.from({ length: 12 }, (_, i) => choreographedCheckout(ENDINGS[i % 4]!, { checkoutId: `n-${i}`, clientId: `client-${i % 5}` }));
    await publisher.publishMany(interleave(checkouts));
    const terminals = checkouts.map((events) => events.at(-1)!);
    const ref = (i: number) => ({ checkoutId: `n-${i}`, clientId: `client-${i % 5}` });
    const late: AnyEvent[] = [
      ...terminals.slice(0, 3),
      createEnvelope('CheckoutFailed', { ...ref(0), failedStep: 'confirmation', code: 'X', reason: 'late' }, { correlationId: 'n-0', producer: 'test' }),
      createEnvelope('CheckoutSucceeded', { ...ref(1), orderId: 'o-late', totalCents: 1 }, { correlationId: 'n-1', producer: 'test' }),
    ];
    await publisher.publishMany(late);

    const key = `${config.REDIS_KEY_PREFIX}${STREAMS.checkout}`;
    await eventually(async () =>
      expect((await streamGroupStats(redis, key)).map((g) => [g.name, g.pending, g.lag])).toEqual([[NOTIFICATION_WORKER.group, 0, 0]]),
    );
    const { rows } = await sql.query<{ checkout_id: string; client_id: string; kind: string; event_id: string }>(
      'SELECT checkout_id, client_id, kind, event_id FROM notifications ORDER BY notification_id',
    );
    expect(rows.sort((a, b) => a.checkout_id.localeCompare(b.checkout_id))).toEqual(
      terminals
        .map((event, i) => ({
          checkout_id: `n-${i}`,
          client_id: `client-${i % 5}`,
          kind: event.type === 'CheckoutSucceeded' ? 'checkout_succeeded' : 'checkout_failed',
          event_id: event.eventId,
        }))
        .sort((a, b) => a.checkout_id.localeCompare(b.checkout_id)),
    );
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(seriesValue(metrics, 'notifications_sent_total', { kind: 'checkout_succeeded' })).toBe(3);
    expect(seriesValue(metrics, 'notifications_sent_total', { kind: 'checkout_failed' })).toBe(9);
  });
});
