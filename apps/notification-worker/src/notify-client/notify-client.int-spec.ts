import { Redis } from 'ioredis';
import pg from 'pg';
import request from 'supertest';
import type { AppConfig } from '@app/config';
import { type AnyEvent, type EventEnvelope, STREAMS, createEnvelope } from '@app/contracts';
import { EventPublisher, eventStreamGroupStats, streamGroupStats } from '@app/redis-streams';
import {
  type ChoreographyEnding,
  type TestApp,
  type TestDatabase,
  choreographedCheckout,
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_API_KEY,
  eventually,
  interleave,
  orchestratedCheckout,
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

    await eventually(async () =>
      expect((await eventStreamGroupStats(redis, config.REDIS_KEY_PREFIX, STREAMS.checkout)).map((g) => [g.name, g.pending, g.lag])).toEqual([
        [NOTIFICATION_WORKER.group, 0, 0],
      ]),
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

  it('notifies an orchestrated checkout once, from its outcome, also when a finished saga is compensated later, and never reads the saga stream', async () => {
    const saga = (ending: 'succeeded' | 'declined', i: number) => orchestratedCheckout(ending, { sagaId: `s-${i}`, checkoutId: `s-${i}`, clientId: 'orla' });
    const [succeeded, declined, undone] = [saga('succeeded', 0), saga('declined', 1), saga('succeeded', 2)];
    const last = undone.at(-1) as EventEnvelope<'CheckoutSucceeded'>;
    // What the orchestrator publishes when an operator then forces the compensation of that saga.
    const forced = createEnvelope(
      'CheckoutFailed',
      { ...last.payload, failedStep: 'confirmation', code: 'SAGA.COMPENSATION_FORCED', reason: 'Compensation forced by an operator' },
      { correlationId: 's-2', producer: 'saga-orchestrator' },
    );
    await publisher.publishMany([...interleave([succeeded, declined, undone]), forced, succeeded.at(-1)!]);

    await eventually(async () =>
      expect((await eventStreamGroupStats(redis, config.REDIS_KEY_PREFIX, STREAMS.checkout)).map((g) => [g.name, g.pending, g.lag])).toEqual([
        [NOTIFICATION_WORKER.group, 0, 0],
      ]),
    );
    expect(await streamGroupStats(redis, `${config.REDIS_KEY_PREFIX}${STREAMS.saga}`)).toEqual([]);
    const { rows } = await sql.query<{ checkout_id: string; kind: string; message: string; event_id: string }>(
      "SELECT checkout_id, kind, message, event_id FROM notifications WHERE client_id = 'orla' ORDER BY checkout_id",
    );
    expect(rows).toEqual([
      {
        checkout_id: 's-0',
        kind: 'checkout_succeeded',
        message: 'Your order order-s-0 is confirmed; 25.00 will be charged.',
        event_id: succeeded.at(-1)!.eventId,
      },
      {
        checkout_id: 's-1',
        kind: 'checkout_failed',
        message: 'We could not complete your checkout s-1: Card declined. Nothing was charged.',
        event_id: declined.at(-1)!.eventId,
      },
      { checkout_id: 's-2', kind: 'checkout_succeeded', message: 'Your order order-s-2 is confirmed; 25.00 will be charged.', event_id: last.eventId },
    ]);
  });

  it("pages a client's notifications, newest first, behind the API key", async () => {
    const list = (clientId: string, query = '') => request(worker.url).get(`/notifications/${clientId}${query}`).set('X-API-Key', TEST_API_KEY);
    // One after the other, so the order they were notified in is known.
    const endings: ChoreographyEnding[] = ['succeeded', 'declined', 'out-of-stock'];
    for (const [i, ending] of endings.entries()) {
      await publisher.publishMany(choreographedCheckout(ending, { checkoutId: `p-${i}`, clientId: 'pia' }));
      await eventually(async () => expect((await sql.query('SELECT 1 FROM notifications WHERE checkout_id = $1', [`p-${i}`])).rowCount).toBe(1));
    }
    const first = (await list('pia', '?limit=2').expect(200)).body;
    expect(first).toMatchObject({ clientId: 'pia', items: [{ checkoutId: 'p-2' }, { checkoutId: 'p-1' }] });
    expect(first.items[1]).toEqual({
      notificationId: expect.any(String),
      checkoutId: 'p-1',
      kind: 'checkout_failed',
      message: 'We could not complete your checkout p-1: Card declined. Nothing was charged.',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const second = (await list('pia', `?limit=2&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second).toEqual({ clientId: 'pia', items: [expect.objectContaining({ checkoutId: 'p-0', kind: 'checkout_succeeded' })], nextCursor: null });

    expect((await list('nobody').expect(200)).body).toEqual({ clientId: 'nobody', items: [], nextCursor: null });
    expect((await list('pia', '?limit=0').expect(400)).body.message).toEqual(expect.arrayContaining([expect.stringContaining('limit')]));
    expect((await list('pia', '?cursor=abc').expect(400)).body.message).toEqual(expect.arrayContaining([expect.stringContaining('cursor')]));
    await request(worker.url).get('/notifications/pia').expect(401);
  });
});
