import { STREAMS, type AnyEvent } from '@app/contracts';
import { eventsOfCheckout } from '@app/event-store';
import { replayCheckout } from '@app/projections';
import { eventStreamGroupStats } from '@app/redis-streams';
import { eventually } from '@app/testing';
import { SHIPPING_CONSUMER } from '../../apps/shipping/src/shipping.module.js';
import { ShippingStack } from './shipping.fixture.js';

/** Parcel tracking across apps: shipping, its participants (orders, payments), the projector and the audit worker, in one process. */
describe('parcel tracking after a successful checkout', () => {
  let stack: ShippingStack;
  const callback = (parcelId: string, path: string, body?: object) => stack.callback(parcelId, path, body);
  const parcelsOf = (checkoutId: string) => stack.parcelsOf(checkoutId);
  const parcelOf = (checkoutId: string) => stack.parcelOf(checkoutId);
  const succeeded = (checkoutId: string, producer: string) => stack.succeeded(checkoutId, producer);
  const shippingEvents = async (type: string, parcelId: string) =>
    (await stack.redis.xrange(`${stack.config.REDIS_KEY_PREFIX}${STREAMS.shipping}`, '-', '+'))
      .map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]!) as AnyEvent)
      .filter((e) => e.type === type && (e.payload as { parcelId: string }).parcelId === parcelId);
  const caughtUp = async (group: string) => {
    const stats = await eventStreamGroupStats(stack.redis, stack.config.REDIS_KEY_PREFIX, STREAMS.checkout);
    expect(stats.filter((g) => g.name === group).map((g) => [g.pending, g.lag])).toEqual([[0, 0]]);
  };
  const projected = (parcelId: string, status: string) =>
    eventually(async () => {
      const res = await stack.call(stack.shipping, 'get', `/parcels/${parcelId}`);
      expect([res.status, res.body.status]).toEqual([200, status]);
      return res.body as { status: string; version: number; timeline: { type: string }[]; incident?: { kind: string } };
    });

  beforeAll(async () => {
    stack = await ShippingStack.start('parcel_tracking', { readSide: true });
  }, 60_000);

  afterAll(async () => {
    await stack.close();
  });

  it('registers one parcel per succeeded checkout of either style, and a redelivered or repeated CheckoutSucceeded registers nothing more', async () => {
    const choreographed = await succeeded('k-1', 'order-confirmation-worker');
    await succeeded('k-2', 'saga-orchestrator');
    await stack.publisher.publishEnvelope(choreographed);
    await stack.publisher.publishEnvelope({ ...choreographed, eventId: '00000000-0000-4000-8000-000000000001' });
    await eventually(() => caughtUp(SHIPPING_CONSUMER.group), { timeoutMs: 15_000 });

    for (const checkoutId of ['k-1', 'k-2']) {
      const parcels = await parcelsOf(checkoutId);
      expect(parcels.map((p) => p.status)).toEqual(['REGISTERED']);
      await eventually(async () => expect(await shippingEvents('ParcelRegistered', parcels[0]!.parcel_id)).toHaveLength(1));
      expect(await projected(parcels[0]!.parcel_id, 'REGISTERED')).toMatchObject({ version: 1 });
    }
    const list = await eventually(async () => {
      const res = await stack.call(stack.shipping, 'get', '/parcels?clientId=zoe&limit=1').expect(200);
      expect(res.body.nextCursor).toBeDefined();
      return res.body as { items: { checkoutId: string }[]; nextCursor: string };
    });
    const next = (await stack.call(stack.shipping, 'get', `/parcels?clientId=zoe&limit=1&cursor=${list.nextCursor}`).expect(200)).body as {
      items: { checkoutId: string }[];
    };
    expect([...list.items, ...next.items].map((p) => p.checkoutId).sort()).toEqual(['k-1', 'k-2']);
  }, 30_000);

  it('walks a parcel to its delivery; a repeated callback changes nothing; an illegal one is a 409 that names the status', async () => {
    const parcelId = await parcelOf('k-1');
    expect((await callback(parcelId, 'shipped', { carrierRef: 'TRK-1' }).expect(200)).body).toMatchObject({ parcelId, status: 'SHIPPED', carrierRef: 'TRK-1' });
    await callback(parcelId, 'shipped', { carrierRef: 'TRK-1' }).expect(200);
    expect((await callback(parcelId, 'delivered').expect(200)).body).toMatchObject({ status: 'DELIVERED' });
    await callback(parcelId, 'delivered').expect(200);
    const again = await callback(parcelId, 'shipped').expect(409);
    expect(again.body).toMatchObject({ code: 'SHIPPING.ILLEGAL_TRANSITION', parcelId, status: 'DELIVERED', move: 'ship' });
    await callback(parcelId, 'incidents', { kind: 'LOST' }).expect(409);
    await callback(parcelId, 'incident/resolution', { resolution: 'REFUNDED' }).expect(409);

    const view = await projected(parcelId, 'DELIVERED');
    expect(view.timeline.map((t) => t.type)).toEqual(['ParcelRegistered', 'ParcelShipped', 'ParcelDelivered']);
    expect(await shippingEvents('ParcelShipped', parcelId)).toHaveLength(1);
    expect(await shippingEvents('ParcelDelivered', parcelId)).toHaveLength(1);
  }, 30_000);

  it('applies concurrent callbacks of one parcel once each: the same news sent many times at once, then news that race each other', async () => {
    await succeeded('k-9', 'saga-orchestrator');
    const parcelId = await parcelOf('k-9');
    const shipped = await Promise.all(Array.from({ length: 6 }, () => callback(parcelId, 'shipped', { carrierRef: 'TRK-2' })));
    expect(shipped.map((r) => [r.status, r.body.status])).toEqual(Array(6).fill([200, 'SHIPPED']));
    // Delivered and damaged at once: whichever is written first wins, the other is decided again on it and refused.
    const raced = await Promise.all([callback(parcelId, 'delivered'), callback(parcelId, 'incidents', { kind: 'DAMAGED' })]);
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = raced.find((r) => r.status === 200)!.body.status as string;
    expect((await parcelsOf('k-9')).map((p) => p.status)).toEqual([winner]);
    await eventually(async () => {
      expect(await shippingEvents('ParcelShipped', parcelId)).toHaveLength(1);
      const ends = [...(await shippingEvents('ParcelDelivered', parcelId)), ...(await shippingEvents('IncidentDeclared', parcelId))];
      expect(ends.map((e) => e.type)).toEqual([winner === 'DELIVERED' ? 'ParcelDelivered' : 'IncidentDeclared']);
    });
    // A damaged parcel is refunded, so the checkout keeps the invariant checked below.
    if (winner === 'INCIDENT') await callback(parcelId, 'incident/resolution', { resolution: 'REFUNDED' }).expect(200);
  }, 30_000);

  it('refuses what is not a parcel or not a callback with a 4xx naming the problem', async () => {
    const parcelId = await parcelOf('k-2');
    expect((await callback('00000000-0000-4000-8000-0000000000ff', 'shipped').expect(404)).body.code).toBe('SHIPPING.PARCEL_NOT_FOUND');
    await stack.call(stack.shipping, 'get', '/parcels/00000000-0000-4000-8000-0000000000ff').expect(404);
    expect((await callback('nope', 'shipped').expect(400)).body.fields).toEqual(['parcelId']);
    expect((await callback(parcelId, 'incidents', { kind: 'STOLEN' }).expect(400)).body.fields).toEqual(['kind']);
    expect((await callback(parcelId, 'incidents', { kind: 'DEADLINE' }).expect(400)).body.fields).toEqual(['kind']);
    expect((await callback(parcelId, 'incidents', { kind: 'LOST', detail: 'x'.repeat(201) }).expect(400)).body.fields).toEqual(['detail']);
    for (const carrierRef of [null, '', 'a b', 42])
      expect((await callback(parcelId, 'shipped', { carrierRef }).expect(400)).body.fields).toEqual(['carrierRef']);
    expect((await callback(parcelId, 'incident/resolution', { resolution: 'MAYBE' }).expect(400)).body.fields).toEqual(['resolution']);
    expect((await stack.call(stack.shipping, 'get', '/parcels').expect(400)).body.fields).toEqual(['clientId']);
    expect((await stack.call(stack.shipping, 'get', '/parcels?clientId=zoe&cursor=x').expect(400)).body.fields).toEqual(['cursor']);
    expect((await parcelsOf('k-2')).map((p) => p.status)).toEqual(['REGISTERED']);
  });

  it('reships a lost parcel as a new parcel, once', async () => {
    const parcelId = await parcelOf('k-2');
    await callback(parcelId, 'shipped').expect(200);
    expect((await callback(parcelId, 'incidents', { kind: 'LOST', detail: 'scan missing' }).expect(200)).body).toMatchObject({
      status: 'INCIDENT',
      incident: { kind: 'LOST', detail: 'scan missing' },
    });
    await callback(parcelId, 'incidents', { kind: 'LOST' }).expect(200);
    await callback(parcelId, 'delivered').expect(409);
    expect((await callback(parcelId, 'incident/resolution', { resolution: 'RESHIPPED' }).expect(200)).body).toMatchObject({ status: 'RESHIPPED' });
    await callback(parcelId, 'incident/resolution', { resolution: 'RESHIPPED' }).expect(200);
    await callback(parcelId, 'incident/resolution', { resolution: 'REFUNDED' }).expect(409);

    const parcels = await parcelsOf('k-2');
    expect(parcels.map((p) => [p.status, p.replaces_parcel_id])).toEqual([
      ['RESHIPPED', null],
      ['REGISTERED', parcelId],
    ]);
    const replacement = parcels[1]!.parcel_id;
    expect(await shippingEvents('IncidentResolved', parcelId)).toHaveLength(1);
    await callback(replacement, 'shipped').expect(200);
    await callback(replacement, 'delivered').expect(200);
    expect(await projected(parcelId, 'RESHIPPED')).toMatchObject({ replacedByParcelId: replacement, incident: { kind: 'LOST', resolution: 'RESHIPPED' } });
    expect(await projected(replacement, 'DELIVERED')).toMatchObject({ replacesParcelId: parcelId });
  }, 30_000);

  it('refunds a damaged parcel: voids the authorization and marks the order refunded, once', async () => {
    await succeeded('k-3', 'order-confirmation-worker');
    const parcelId = await parcelOf('k-3');
    await callback(parcelId, 'shipped').expect(200);
    await callback(parcelId, 'incidents', { kind: 'DAMAGED' }).expect(200);
    expect((await callback(parcelId, 'incident/resolution', { resolution: 'REFUNDED' }).expect(200)).body).toMatchObject({ status: 'REFUNDED' });
    await callback(parcelId, 'incident/resolution', { resolution: 'REFUNDED' }).expect(200);
    await callback(parcelId, 'incident/resolution', { resolution: 'RESHIPPED' }).expect(409);

    expect((await stack.call(stack.payments, 'get', '/payments/authorizations/k-3').expect(200)).body).toMatchObject({ status: 'VOIDED' });
    const [order] = (await stack.call(stack.orders, 'get', '/orders?checkoutId=k-3').expect(200)).body as { status: string }[];
    expect(order?.status).toBe('REFUNDED');
    expect(await shippingEvents('IncidentResolved', parcelId)).toHaveLength(1);
    expect(await projected(parcelId, 'REFUNDED')).toMatchObject({ incident: { kind: 'DAMAGED', resolution: 'REFUNDED' } });
  }, 30_000);

  it('declares a DEADLINE incident on a parcel with no news from the carrier', async () => {
    await succeeded('k-4', 'saga-orchestrator');
    const parcelId = await parcelOf('k-4');
    await callback(parcelId, 'shipped').expect(200);
    await stack.shippingDb.query(`UPDATE parcels SET last_news_at = now() - interval '1 hour' WHERE parcel_id = $1`, [parcelId]);
    const view = await projected(parcelId, 'INCIDENT');
    expect(view.incident).toMatchObject({ kind: 'DEADLINE' });
    await callback(parcelId, 'delivered').expect(409);
    expect(await shippingEvents('IncidentDeclared', parcelId)).toHaveLength(1);
  }, 30_000);

  it('stores the parcel events in the durable store, in the replay of the checkout they belong to', async () => {
    const parcelId = await parcelOf('k-1');
    const replay = await eventually(async () => {
      const r = replayCheckout((await eventsOfCheckout(stack.store, 'k-1')).map((s) => s.event));
      const types = r.timeline.map((t) => t.type);
      expect(types[0]).toBe('CheckoutSucceeded');
      // The first test published k-1's CheckoutSucceeded again under another id, raced by ParcelRegistered: the store keeps both.
      expect(types.filter((t) => t !== 'CheckoutSucceeded')).toEqual(['ParcelRegistered', 'ParcelShipped', 'ParcelDelivered']);
      return r;
    });
    expect(replay.checkout).toMatchObject({ status: 'SUCCEEDED' });
    const stored = await stack.store.query<{ stream: string; n: number }[]>(
      `SELECT stream, count(*)::int AS n FROM events WHERE payload->>'parcelId' = $1 GROUP BY stream`,
      [parcelId],
    );
    expect(stored).toEqual([{ stream: STREAMS.shipping, n: 3 }]);
  }, 30_000);

  it('keeps the invariant: every succeeded checkout has exactly one live parcel, or a refund', async () => {
    const rows = await stack.shippingDb.query<{ checkout_id: string; live: number; refunded: number }[]>(
      `SELECT checkout_id, count(*) FILTER (WHERE status IN ('REGISTERED', 'SHIPPED', 'DELIVERED'))::int AS live,
              count(*) FILTER (WHERE status = 'REFUNDED')::int AS refunded
       FROM parcels GROUP BY checkout_id ORDER BY checkout_id`,
    );
    expect(rows.map((r) => [r.checkout_id, r.live + r.refunded])).toEqual([
      ['k-1', 1],
      ['k-2', 1],
      ['k-3', 1],
      // k-4's incident is declared and not resolved yet: neither live nor refunded.
      ['k-4', 0],
      ['k-9', 1],
    ]);
  });
});
