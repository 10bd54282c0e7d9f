import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { type AnyEvent, STREAMS } from '@app/contracts';
import { dataSourceOptions } from '@app/database';
import { EVENT_STORE_DATABASE, READ_MODELS, type ReadModel, readAll } from '@app/event-store';
import { EventPublisher, streamGroupStats } from '@app/redis-streams';
import {
  BOOT_TIMEOUT_MS,
  ServiceProcess,
  TEST_API_KEY,
  type TestDatabase,
  cartLifecycle,
  choreographedCheckout,
  createTestDatabase,
  deleteKeysWithPrefix,
  ensureFreshBuild,
  eventually,
  interleave,
  orchestratedCheckout,
  testConfig,
} from '@app/testing';

/** The pause between two waves of checkouts: about 500 events/s, what this 2-core machine sustains beside other tests. */
const PACE_MS = 50;
/** How long the audit worker stays stopped into the rebuilds started while it was. */
const AUDIT_STOPPED_MS = 1_500;

/** One wave: checkouts of both styles and a cart, side by side as on the bus. */
function wave(w: number): AnyEvent[] {
  const ref = (i: number) => ({ checkoutId: `l${w}-${i}`, clientId: `client-${(w + i) % 5}` });
  return interleave([
    choreographedCheckout('succeeded', ref(0)),
    choreographedCheckout(w % 2 === 0 ? 'declined' : 'out-of-stock', ref(1)),
    orchestratedCheckout(w % 3 === 0 ? 'declined' : 'succeeded', { ...ref(2), sagaId: `l${w}-saga` }),
    cartLifecycle({ ...ref(3), cartId: `l${w}-cart` }),
  ]);
}

/**
 * A rebuild while events keep flowing through the live projector and the audit worker, in their own
 * processes, including while the audit worker is stopped and the projector runs ahead of the store:
 * once the flow is over, every read model equals the fold of every event.
 */
describe('read model rebuilds under live load', () => {
  let storeDb: TestDatabase;
  let prefix: string;
  let audit: ServiceProcess;
  let projection: ServiceProcess;
  let eventStore: ServiceProcess;
  let publisher: EventPublisher;
  let redis: Redis;
  let store: DataSource;

  const rebuild = (model: ReadModel<unknown>) =>
    request(eventStore.url).post(`/api/event-store/projections/${model.name}/rebuild`).set('X-API-Key', TEST_API_KEY);
  const caughtUp = async () => {
    const groups = await Promise.all(Object.values(STREAMS).map((s) => streamGroupStats(redis, `${prefix}${s}`)));
    expect(groups.flat().map((g) => [g.name, g.pending, g.lag])).toEqual(
      Object.values(STREAMS).flatMap(() => [
        ['audit', 0, 0],
        ['cqrs-projection', 0, 0],
      ]),
    );
  };
  /** Events the checkout-status model applied that the store does not hold yet. */
  const aheadOfStore = async () =>
    Number(
      (
        await store.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM projection_applied a WHERE a.model = 'checkout-status' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = a.event_id)`,
        )
      )[0]?.n,
    );
  const rowsOf = async (model: ReadModel<unknown>) =>
    new Map(
      (await store.query<{ key: string; view: unknown }[]>(`SELECT ${model.keyColumn} AS key, view FROM ${model.table} ORDER BY 1`)).map((r) => [
        r.key,
        r.view,
      ]),
    );
  /** The rows a fold of every stored event, in store order, gives. */
  const foldOfStore = async (model: ReadModel<unknown>) => {
    const views = new Map<string, unknown>();
    for (const { event } of await readAll(store, 0, 10_000_000)) {
      const key = model.keyOf(event);
      const view = key === undefined ? undefined : model.evolve(views.get(key), event);
      if (view !== undefined) views.set(key!, view);
    }
    return new Map([...views].sort(([a], [b]) => (a < b ? -1 : 1)));
  };

  beforeAll(async () => {
    await ensureFreshBuild();
    storeDb = await createTestDatabase('rebuild_under_load');
    const config = testConfig({ EVENT_STORE_DATABASE_URL: storeDb.url });
    prefix = config.REDIS_KEY_PREFIX;
    const env = {
      API_KEYS: TEST_API_KEY,
      REDIS_URL: config.REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      EVENT_STORE_DATABASE_URL: storeDb.url,
      STREAM_BLOCK_MS: '200',
      STREAM_CLAIM_IDLE_MS: '1000',
      STREAM_CLAIM_INTERVAL_MS: '250',
    };
    eventStore = await ServiceProcess.start('event-store', env);
    [audit, projection] = await Promise.all([
      ServiceProcess.start('audit-worker', { ...env, CONSUMER_NAME: 'audit-load' }),
      ServiceProcess.start('cqrs-projection-worker', { ...env, CONSUMER_NAME: 'projection-load' }),
    ]);
    publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: prefix, producer: 'test' });
    redis = new Redis(config.REDIS_URL);
    store = await new DataSource({ ...dataSourceOptions(EVENT_STORE_DATABASE, config), extra: { max: 2, options: '-c search_path=event_store' } }).initialize();
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    audit?.resume();
    await Promise.all([audit, projection, eventStore].map((p) => p?.stop()));
    await publisher?.close();
    if (redis !== undefined) await deleteKeysWithPrefix(redis, prefix);
    await redis?.quit();
    await store?.destroy();
    await storeDb?.drop();
  });

  it('ends every read model equal to the fold of every event, with rebuilds in the middle of the flow', async () => {
    const published: AnyEvent[] = [];
    let flowing = true;
    const flow = (async () => {
      for (let w = 0; flowing; w += 1) {
        const events = wave(w);
        await publisher.publishMany(events);
        published.push(...events);
        await sleep(PACE_MS);
      }
    })();
    try {
      await eventually(async () => expect(await rowsOf(READ_MODELS[0]!)).not.toEqual(new Map()), { timeoutMs: 20_000 });
      for (const model of READ_MODELS) await rebuild(model).expect(200);

      // The projector runs ahead of a stopped audit worker: a rebuild must not drop what it applied.
      audit.pause();
      await eventually(async () => expect(await aheadOfStore()).toBeGreaterThan(20), { timeoutMs: 20_000 });
      const answers = Promise.all(READ_MODELS.map((model) => rebuild(model)));
      await Promise.race([answers, sleep(AUDIT_STOPPED_MS)]);
      audit.resume();
      expect((await answers).map((r) => [r.status, r.body])).toEqual(READ_MODELS.map((m) => [200, expect.objectContaining({ projection: m.name })]));

      for (const model of READ_MODELS) await rebuild(model).expect(200);
    } finally {
      flowing = false;
      audit.resume();
      await flow;
    }
    await eventually(caughtUp, { timeoutMs: 60_000, intervalMs: 200 });

    const stored = await store.query<{ event_id: string }[]>('SELECT event_id FROM events');
    expect(stored.map((r) => r.event_id).sort()).toEqual(published.map((e) => e.eventId).sort());
    for (const model of READ_MODELS) expect(await rowsOf(model)).toEqual(await foldOfStore(model));
  }, 180_000);
});
