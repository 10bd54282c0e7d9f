import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { type AnyEvent, STREAM_OF, createEnvelope } from '@app/contracts';
import type { ParcelView } from '@app/projections';
import { type TestEventStore, createTestEventStore, deleteKeysWithPrefix } from '@app/testing';
import { appendEvents } from '../event-store.appender.js';
import { ParcelViewCache } from './parcel-view.cache.js';
import { parcelModel } from './read-model.definitions.js';
import { projectEvents } from './read-model.projector.js';
import { rebuildReadModel } from './read-model.rebuilder.js';
import { parcelById, parcelVersions, parcelsOfClient } from './parcels.reader.js';

const ref = (i: number) => ({ parcelId: `p-${i}`, checkoutId: `k-${i}`, clientId: `client-${i % 3}`, orderId: `o-${i}` });
const ctx = (i: number) => ({ correlationId: `k-${i}`, producer: 'shipping' });

/** The life of parcel i, one event per step: registered, shipped, then delivered or an incident resolved by a refund. */
function lifeOf(i: number): AnyEvent[] {
  const r = ref(i);
  const end: AnyEvent[] =
    i % 4 === 0
      ? [createEnvelope('IncidentDeclared', { ...r, kind: 'DAMAGED' }, ctx(i)), createEnvelope('IncidentResolved', { ...r, resolution: 'REFUNDED' }, ctx(i))]
      : [createEnvelope('ParcelDelivered', r, ctx(i))];
  return [createEnvelope('ParcelRegistered', r, ctx(i)), createEnvelope('ParcelShipped', { ...r, carrierRef: `T-${i}` }, ctx(i)), ...end];
}

describe('parcels read model and its cache (PostgreSQL + Redis)', () => {
  let eventStore: TestEventStore;
  let db: DataSource;
  let redis: Redis;
  let cache: ParcelViewCache;
  const prefix = `test:${randomBytes(4).toString('hex')}:`;
  // Projected live by the first two tests, stored and rebuilt by the last.
  const lives = Array.from({ length: 12 }, (_, i) => lifeOf(i));
  const raced = lifeOf(101).slice(0, 2);

  /** What the cqrs-projection worker does with a batch before acknowledging it. */
  const project = async (events: AnyEvent[]) => {
    await projectEvents(db, events, [parcelModel]);
    const ids = [...new Set(events.map((e) => parcelModel.keyOf(e)).filter((id) => id !== undefined))];
    await cache.invalidate(await parcelVersions(db, ids));
  };
  const viaCache = (id: string) => cache.parcel(id, () => parcelById(db, id));
  const clientVersions = async () =>
    Object.fromEntries(
      (await db.query<{ client_id: string; version: string }[]>('SELECT client_id, version FROM parcel_client_versions')).map((r) => [
        r.client_id,
        Number(r.version),
      ]),
    );

  beforeAll(async () => {
    eventStore = await createTestEventStore('parcel_cache');
    db = eventStore.db;
    redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    cache = new ParcelViewCache(redis, { keyPrefix: prefix, ttlMs: 60_000 });
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await eventStore.drop();
  });

  it('does not let a reader that read before a projection put its older copy back after the invalidation', async () => {
    const [registered, shipped] = raced;
    await project([registered!]);
    expect((await viaCache('p-101'))?.version).toBe(1);
    await project([registered!]);
    // A reader misses, reads version 1, and is held before it fills...
    await redis.del(`${prefix}parcel-cache:parcel:p-101`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let read!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    const slowReader = cache.parcel('p-101', async () => {
      const view = await parcelById(db, 'p-101');
      read();
      await held;
      return view;
    });
    await hasRead;
    // ...while the projector commits version 2 and invalidates; then the reader fills with version 1.
    await project([shipped!]);
    release();
    expect((await slowReader)?.version).toBe(1);
    expect(await viaCache('p-101')).toMatchObject({ status: 'SHIPPED', version: 2 });
    expect((await viaCache('p-101'))?.version).toBe(2);
  });

  it('never serves a parcel or a page older than what the projector acknowledged, under concurrent reads and updates', async () => {
    const acked = new Map<string, number>();
    const ackedClient = new Map<string, number>();
    const stale: string[] = [];
    let reads = 0;
    let done = false;
    const reader = async (n: number) => {
      while (!done) {
        const i = (n * 7 + reads) % lives.length;
        const { parcelId, clientId } = ref(i);
        const floor = acked.get(parcelId) ?? 0;
        const clientFloor = ackedClient.get(clientId) ?? 0;
        const [view, page] = await Promise.all([
          viaCache(parcelId),
          cache.clientPage(clientId, { limit: 5 }, () => parcelsOfClient(db, clientId, { limit: 5 })),
        ]);
        reads += 1;
        if ((view?.version ?? 0) < floor) stale.push(`${parcelId}: v${view?.version} after v${floor} was acknowledged`);
        if (page.version < clientFloor) stale.push(`${clientId}: v${page.version} after v${clientFloor} was acknowledged`);
      }
    };
    const readers = Array.from({ length: 8 }, (_, n) => reader(n));
    // One step of every parcel per batch, as the projector applies them, acknowledging after each.
    for (let step = 0; step < 4; step += 1) {
      for (const batch of [lives.slice(0, 6), lives.slice(6)]) {
        const events = batch.flatMap((life) => (life[step] === undefined ? [] : [life[step]!]));
        await project(events);
        for (const v of await parcelVersions(
          db,
          events.map((e) => parcelModel.keyOf(e)!),
        )) {
          acked.set(v.parcelId, v.version);
          ackedClient.set(v.clientId, v.clientVersion);
        }
      }
    }
    done = true;
    await Promise.all(readers);
    expect(stale).toEqual([]);
    expect(reads).toBeGreaterThan(50);
    for (let i = 0; i < lives.length; i += 1) expect(await viaCache(`p-${i}`)).toEqual(await parcelById(db, `p-${i}`));
    const page = await cache.clientPage('client-0', { limit: 2 }, () => parcelsOfClient(db, 'client-0', { limit: 2 }));
    // Newest first: registered in the order of i (and, within one millisecond, by parcel id).
    expect(page.items.map((p: ParcelView) => [p.parcelId, p.status])).toEqual([
      ['p-9', 'DELIVERED'],
      ['p-6', 'DELIVERED'],
    ]);
    const next = await parcelsOfClient(db, 'client-0', { limit: 2, cursor: page.nextCursor! });
    expect(next.items.map((p) => [p.parcelId, p.status])).toEqual([
      ['p-3', 'DELIVERED'],
      ['p-0', 'REFUNDED'],
    ]);
    expect(next.nextCursor).toBeUndefined();
  }, 30_000);

  it('rebuilds the same parcels read model from the durable store', async () => {
    const rows = async () => db.query<unknown[]>('SELECT parcel_id, client_id, status, registered_at, version, view FROM parcel_view ORDER BY parcel_id');
    const events = [...lives, raced].flat();
    // The live projection above applied these; the store holds them once the audit worker appended them.
    await appendEvents(
      db,
      events.map((event) => ({ stream: STREAM_OF[event.type], event })),
    );
    const live = await rows();
    expect(live).toHaveLength(13);
    const liveVersions = await clientVersions();
    const report = await rebuildReadModel(db, parcelModel);
    expect(report).toMatchObject({ projection: 'parcels', rows: 13 });
    expect(await rows()).toEqual(live);
    expect(await clientVersions()).toEqual(liveVersions);
  }, 30_000);

  it("keeps each client's version equal to the sum of its parcels' versions through projection, redelivery and rebuild, as the readers give it", async () => {
    const sums = async () =>
      Object.fromEntries(
        (await db.query<{ client_id: string; sum: string }[]>('SELECT client_id, sum(version) AS sum FROM parcel_view GROUP BY client_id')).map((r) => [
          r.client_id,
          Number(r.sum),
        ]),
      );
    const before = await clientVersions();
    expect(before).toEqual(await sums());
    // Two events of a new parcel of client-1 and one more of a parcel it has: +3, once, even delivered twice.
    const more = [...lifeOf(13).slice(0, 2), lifeOf(1)[1]!];
    await project(more);
    await project(more);
    expect(await clientVersions()).toEqual({ ...before, 'client-1': before['client-1']! + 3 });
    expect(await clientVersions()).toEqual(await sums());
    expect((await parcelsOfClient(db, 'client-1', { limit: 2 })).version).toBe(before['client-1']! + 3);
    expect((await parcelVersions(db, ['p-13'])).map((v) => v.clientVersion)).toEqual([before['client-1']! + 3]);
    await db.query('DELETE FROM parcel_view');
    expect(Object.values(await clientVersions()).every((v) => v === 0)).toBe(true);
  });
});
