import { createEnvelope } from '@app/contracts';
import { eventually, testConfig } from '@app/testing';
import { register } from 'prom-client';
import { StreamsTestScope, gate, orderCreatedPayload } from '../test/streams.test-kit.js';

async function metricValue(name: string, labels: Record<string, string>, suffix = ''): Promise<number | undefined> {
  const metric = await register.getSingleMetric(name)?.get();
  return metric?.values.find(
    (v) => (suffix === '' || (v as { metricName?: string }).metricName === `${name}${suffix}`) && Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  )?.value;
}

describe('redis-streams delivery', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('fans out: every consumer group receives every event', async () => {
    const byGroup = { audit: new Set<string>(), notification: new Set<string>() };
    await scope.worker({ group: 'audit' }, (event) => void byGroup.audit.add(event.eventId));
    await scope.worker({ group: 'notification' }, (event) => void byGroup.notification.add(event.eventId));

    const published = await Promise.all(Array.from({ length: 10 }, (_, i) => scope.orderCreated(`chk-${i}`)));
    const ids = published.map((event) => event.eventId).sort();

    await eventually(() => {
      expect([...byGroup.audit].sort()).toEqual(ids);
      expect([...byGroup.notification].sort()).toEqual(ids);
    });
    await eventually(async () => expect([await scope.pending('audit'), await scope.pending('notification')]).toEqual([0, 0]));
    expect(await metricValue('events_consumed_total', { topic: 'ecommerce.checkout.events', type: 'OrderCreated', consumer: 'audit' })).toBe(10);
    expect(await metricValue('event_latency_seconds', { topic: 'ecommerce.checkout.events', type: 'OrderCreated' }, '_count')).toBeGreaterThanOrEqual(20);
    expect(await metricValue('stream_group_pending', { topic: 'ecommerce.checkout.events', group: 'notification' })).toBe(0);
    expect(await metricValue('stream_group_lag', { topic: 'ecommerce.checkout.events', group: 'audit' })).toBe(0);
  });

  it('balances load: consumers of one group split the events, each handled once', async () => {
    const handledBy: Record<string, string[]> = { c1: [], c2: [] };
    const work = (consumer: 'c1' | 'c2') => async (event: { eventId: string }) => {
      handledBy[consumer]?.push(event.eventId);
      await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await scope.worker({ group: 'payment', consumer: 'c1', batchSize: 1, maxInFlight: 1 }, work('c1'));
    await scope.worker({ group: 'payment', consumer: 'c2', batchSize: 1, maxInFlight: 1 }, work('c2'));

    const envelopes = Array.from({ length: 20 }, (_, i) =>
      createEnvelope('OrderCreated', orderCreatedPayload(`chk-${i}`), { correlationId: `chk-${i}`, producer: 'test' }),
    );
    await scope.publisher.publishMany(envelopes);

    const all = await eventually(() => {
      const handled = [...(handledBy['c1'] ?? []), ...(handledBy['c2'] ?? [])];
      expect(handled).toHaveLength(20);
      return handled;
    });
    expect(new Set(all).size).toBe(20);
    expect(handledBy['c1']?.length).toBeGreaterThan(0);
    expect(handledBy['c2']?.length).toBeGreaterThan(0);
    await eventually(async () => expect(await scope.pending('payment')).toBe(0));
  });

  it('keeps the stream order of each correlation id while handling different ones in parallel', async () => {
    const seen = new Map<string, number[]>();
    let running = 0;
    let maxRunning = 0;
    await scope.worker({ group: 'orders', batchSize: 8, maxInFlight: 8 }, async (event) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      // Random handling times would reorder a correlation's events if they ran concurrently.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
      seen.set(event.correlationId, [...(seen.get(event.correlationId) ?? []), event.payload.totalCents]);
      running -= 1;
    });

    const checkouts = ['a', 'b', 'c', 'd'];
    const interleaved = Array.from({ length: 8 }, (_, seq) =>
      checkouts.map((id) => createEnvelope('OrderCreated', orderCreatedPayload(id, seq), { correlationId: id, producer: 'test' })),
    ).flat();
    await scope.publisher.publishMany(interleaved);

    await eventually(() => expect([...seen.values()].flat()).toHaveLength(32));
    for (const id of checkouts) expect(seen.get(id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(maxRunning).toBeGreaterThan(1);
  });

  it('hands over every entry in flight at once with ordering none, those of one correlation id included', async () => {
    const held = gate();
    const started: number[] = [];
    await scope.worker({ group: 'store', ordering: 'none', batchSize: 8, maxInFlight: 8 }, async (event) => {
      started.push(event.payload.totalCents);
      await held.promise;
    });
    const sameCheckout = [0, 1, 2].map((seq) => createEnvelope('OrderCreated', orderCreatedPayload('same', seq), { correlationId: 'same', producer: 'test' }));
    await scope.publisher.publishMany(sameCheckout);

    // With the default ordering, 1 and 2 would wait for 0 to finish.
    await eventually(() => expect(started).toEqual([0, 1, 2]));
    expect(await scope.pending('store')).toBe(3);
    held.open();
    await eventually(async () => expect(await scope.pending('store')).toBe(0));
  });

  it('passes the full envelope and the delivery context to the handler', async () => {
    const received: unknown[] = [];
    await scope.worker({ group: 'order-confirmation' }, (event, context) => {
      received.push({ event, topic: context.getTopic(), attempt: context.getAttempt(), group: context.getGroup(), entryId: context.getEntryId() });
    });
    const published = await scope.orderCreated('chk-ctx');
    const [entry] = await scope.redis.xrange(scope.stream, '-', '+');

    await eventually(() =>
      expect(received).toEqual([{ event: published, topic: 'ecommerce.checkout.events', attempt: 1, group: 'order-confirmation', entryId: entry?.[0] }]),
    );
  });
});
