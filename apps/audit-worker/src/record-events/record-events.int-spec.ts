import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { type AnyEvent, STREAMS } from '@app/contracts';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE, readAll } from '@app/event-store';
import { EventPublisher, streamGroupStats } from '@app/redis-streams';
import {
  type ChoreographyEnding,
  type TestApp,
  type TestDatabase,
  cartLifecycle,
  choreographedCheckout,
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  interleave,
  orchestratedCheckout,
  seriesValue,
  startTestWorker,
  testConfig,
} from '@app/testing';
import { AUDIT_WORKER, AuditWorkerModule } from '../audit-worker.module.js';

const ENDINGS: ChoreographyEnding[] = ['succeeded', 'declined', 'out-of-stock', 'over-limit'];

/** Checkouts of both styles and carts, side by side as on the bus. */
function mixedLoad(prefix: string, checkouts: number): AnyEvent[] {
  const client = (i: number) => ({ checkoutId: `${prefix}-${i}`, clientId: `client-${i % 4}` });
  return interleave([
    ...Array.from({ length: checkouts }, (_, i) => choreographedCheckout(ENDINGS[i % ENDINGS.length]!, client(i))),
    ...Array.from({ length: 3 }, (_, i) => orchestratedCheckout(i === 0 ? 'declined' : 'succeeded', { ...client(100 + i), sagaId: `${prefix}-saga-${i}` })),
    ...Array.from({ length: 3 }, (_, i) => cartLifecycle({ ...client(200 + i), cartId: `${prefix}-cart-${i}` })),
  ]);
}

describe('audit worker (Redis + PostgreSQL)', () => {
  let testDb: TestDatabase;
  let config: AppConfig;
  let worker: TestApp;
  let publisher: EventPublisher;
  let redis: Redis;
  let store: DataSource;

  const storedCount = async () => Number((await store.query<{ n: string }[]>('SELECT count(*) AS n FROM events'))[0]!.n);
  /** Entries of the audit group not yet delivered or not yet acknowledged, over the three streams. */
  const backlog = async () => {
    const groups = await Promise.all(Object.values(STREAMS).map((s) => streamGroupStats(redis, `${config.REDIS_KEY_PREFIX}${s}`)));
    const audit = groups.flat().filter((g) => g.name === AUDIT_WORKER.group);
    return { pending: audit.reduce((n, g) => n + g.pending, 0), lag: audit.reduce((n, g) => n + (g.lag ?? 0), 0) };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('audit_worker');
    config = testConfig({ EVENT_STORE_DATABASE_URL: testDb.url, STREAM_BLOCK_MS: 200, STREAM_CLAIM_IDLE_MS: 500, STREAM_CLAIM_INTERVAL_MS: 100 });
    worker = await startTestWorker(AuditWorkerModule.register(config), { ...AUDIT_WORKER, config });
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'test' });
    redis = new Redis(config.REDIS_URL);
    store = await new DataSource(dataSourceOptions(EVENT_STORE_DATABASE, config)).initialize();
  });

  afterAll(async () => {
    await worker.close();
    await publisher.close();
    await deleteKeysWithPrefix(redis, config.REDIS_KEY_PREFIX);
    await redis.quit();
    await store.destroy();
    await testDb.drop();
  });

  it('stores every event of the three streams once, in order, with gap-free positions, even when an entry is published twice', async () => {
    const events = mixedLoad('a', 24);
    const twice = [events[3]!, events[40]!, events.at(-1)!];
    await publisher.publishMany(events);
    for (const event of twice) await publisher.publishEnvelope(event);

    await eventually(async () => expect([await storedCount(), await backlog()]).toEqual([events.length, { pending: 0, lag: 0 }]), { timeoutMs: 20_000 });
    const stored = await readAll(store, 0, 10_000);
    expect(stored.map((s) => s.globalPosition)).toEqual(events.map((_, i) => i + 1));
    expect(new Map(stored.map((s) => [s.event.eventId, s.event]))).toEqual(new Map(events.map((e) => [e.eventId, e])));
    for (const stream of Object.values(STREAMS)) {
      const ofStream = stored.filter((s) => s.stream === stream);
      expect(ofStream.map((s) => s.streamPosition)).toEqual(ofStream.map((_, i) => i + 1));
      // Each checkout, saga and cart keeps the order its events were published in.
      const published = events.filter((e) => ofStream.some((s) => s.event.eventId === e.eventId));
      for (const id of new Set(published.map((e) => e.correlationId))) {
        const inStore = [...ofStream].sort((a, b) => a.streamPosition - b.streamPosition).filter((s) => s.event.correlationId === id);
        expect(inStore.map((s) => s.event.eventId)).toEqual(published.filter((e) => e.correlationId === id).map((e) => e.eventId));
      }
    }

    // Handlers in flight share appends: far fewer transactions (each stamps its own recorded_at) than events.
    const [transactions] = await store.query<{ n: string }[]>('SELECT count(DISTINCT recorded_at) AS n FROM events');
    expect(Number(transactions?.n)).toBeLessThan(events.length / 3);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(seriesValue(metrics, 'event_store_appends_total', { result: 'appended' })).toBe(events.length);
    expect(seriesValue(metrics, 'event_store_appends_total', { result: 'duplicate' })).toBe(twice.length);
    expect(seriesValue(metrics, 'event_store_batch_size_sum')).toBe(events.length + twice.length);
  }, 30_000);

  it('appends the transitions of sagas published together in shared transactions, each saga in stream order', async () => {
    const sagas = [0, 1, 2].map((i) =>
      orchestratedCheckout('succeeded', { checkoutId: `t-${i}`, clientId: 'tia', sagaId: `t-saga-${i}` }).filter((e) => e.type === 'SagaTransitioned'),
    );
    // As the orchestrator's relay publishes them: each saga's transitions back to back.
    const published = sagas.flat();
    await publisher.publishMany(published);

    const rows = await eventually(async () => {
      const found = await store.query<{ event_id: string; recorded_at: string }[]>(
        'SELECT event_id, recorded_at::text AS recorded_at FROM events WHERE event_id = ANY($1) ORDER BY stream_position',
        [published.map((e) => e.eventId)],
      );
      expect(found).toHaveLength(published.length);
      return found;
    });
    expect(rows.map((r) => r.event_id)).toEqual(published.map((e) => e.eventId));
    // Handed over one at a time per saga (the transport's default ordering), a saga's 10 transitions would take 10 transactions.
    expect(new Set(rows.map((r) => r.recorded_at)).size).toBeLessThan(10);
    await eventually(async () => expect(await backlog()).toEqual({ pending: 0, lag: 0 }));
  }, 30_000);

  it('acknowledges an entry only once its event is committed', async () => {
    const before = await storedCount();
    const blocker = new pg.Client({ connectionString: testDb.url, options: '-c search_path=event_store' });
    await blocker.connect();
    // Writers wait behind this lock; readers do not.
    await blocker.query('BEGIN; LOCK TABLE events IN EXCLUSIVE MODE');
    const events = interleave(ENDINGS.map((ending, i) => choreographedCheckout(ending, { checkoutId: `b-${i}`, clientId: 'bo' })));
    await publisher.publishMany(events);

    // Every entry delivered, the worker's append waiting for the lock: nothing may be acknowledged yet.
    await eventually(async () => {
      const [waiting] = await store.query<{ n: string }[]>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'events'::regclass");
      expect([Number(waiting?.n) > 0, await backlog()]).toEqual([true, { pending: events.length, lag: 0 }]);
    });
    expect(await storedCount()).toBe(before);
    await blocker.query('ROLLBACK');
    await blocker.end();

    await eventually(async () => expect([await storedCount(), await backlog()]).toEqual([before + events.length, { pending: 0, lag: 0 }]), {
      timeoutMs: 20_000,
    });
    const positions = await store.query<{ p: string }[]>('SELECT global_position AS p FROM events ORDER BY 1');
    expect(positions.map((r) => Number(r.p))).toEqual(positions.map((_, i) => i + 1));
  }, 30_000);
});
