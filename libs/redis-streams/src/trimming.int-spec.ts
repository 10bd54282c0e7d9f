import { createEnvelope } from '@app/contracts';
import { eventually, testConfig } from '@app/testing';
import { StreamsTestScope, orderCreatedPayload } from '../test/streams.test-kit.js';
import { streamGroupStats } from './stream-group.stats.js';
import { trimStream } from './stream.trimmer.js';

describe('redis-streams trimming', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('never trims entries a slow group has not acknowledged, and trims those every group is done with', async () => {
    // A group that exists but is stopped: it has read nothing yet.
    await scope.redis.xgroup('CREATE', scope.stream, 'slow', '0', 'MKSTREAM');
    let handled = 0;
    const everything = { maxLen: 0, intervalMs: 20, approximate: false };
    await scope.worker({ group: 'fast', trim: everything }, () => void (handled += 1));

    const envelopes = Array.from({ length: 20 }, (_, i) =>
      createEnvelope('OrderCreated', orderCreatedPayload(`chk-${i}`), { correlationId: `chk-${i}`, producer: 'test' }),
    );
    await scope.publisher.publishMany(envelopes);
    const ids = await scope.entryIds();
    await eventually(() => expect(handled).toBe(20));
    await eventually(async () => expect(await scope.pending('fast')).toBe(0));

    expect(await trimStream(scope.redis, scope.stream, everything)).toBe(0);
    expect(await scope.redis.xlen(scope.stream)).toBe(20);

    // The slow group reads 10 entries and acknowledges the first 5.
    await scope.redis.xreadgroup('GROUP', 'slow', 'slow-1', 'COUNT', 10, 'STREAMS', scope.stream, '>');
    await scope.redis.xack(scope.stream, 'slow', ...ids.slice(0, 5));

    await eventually(async () => expect(await scope.redis.xlen(scope.stream)).toBe(15));
    expect(await trimStream(scope.redis, scope.stream, everything)).toBe(0);
    const kept = await scope.redis.xrange(scope.stream, '-', '+');
    expect(kept.map(([id]) => id)).toEqual(ids.slice(5));
  });

  it('keeps maxLen entries even when every group is done with them', async () => {
    let handled = 0;
    await scope.worker({ group: 'only', trim: { maxLen: 8, intervalMs: 20, approximate: false } }, () => void (handled += 1));
    const envelopes = Array.from({ length: 20 }, (_, i) =>
      createEnvelope('OrderCreated', orderCreatedPayload(`chk-${i}`), { correlationId: `chk-${i}`, producer: 'test' }),
    );
    await scope.publisher.publishMany(envelopes);
    const ids = await scope.entryIds();
    await eventually(() => expect(handled).toBe(20));

    await eventually(async () => expect((await scope.redis.xrange(scope.stream, '-', '+')).map(([id]) => id)).toEqual(ids.slice(12)));
  });

  it('trims approximately (whole nodes) without passing the oldest unacknowledged entry', async () => {
    const envelopes = Array.from({ length: 250 }, (_, i) =>
      createEnvelope('OrderCreated', orderCreatedPayload(`chk-${i}`), { correlationId: 'chk', producer: 'test' }),
    );
    await scope.publisher.publishMany(envelopes);
    const ids = await scope.entryIds();
    await scope.redis.xgroup('CREATE', scope.stream, 'g', '0');
    await scope.redis.xreadgroup('GROUP', 'g', 'c', 'COUNT', 240, 'STREAMS', scope.stream, '>');
    await scope.redis.xack(scope.stream, 'g', ...ids.slice(0, 230));

    const removed = await trimStream(scope.redis, scope.stream, { maxLen: 0, intervalMs: 0 });

    const kept = (await scope.redis.xrange(scope.stream, '-', '+')).map(([id]) => id);
    expect(removed).toBeGreaterThan(0);
    expect(kept).toHaveLength(250 - removed);
    expect(kept).toEqual(expect.arrayContaining(ids.slice(230)));
  });

  it('reports each group with its consumers, pending entries and lag', async () => {
    await scope.redis.xgroup('CREATE', scope.stream, 'reader', '0', 'MKSTREAM');
    await scope.redis.xgroup('CREATE', scope.stream, 'idle', '0');
    for (let i = 0; i < 5; i += 1) await scope.orderCreated(`chk-${i}`);
    const read = (await scope.redis.xreadgroup('GROUP', 'reader', 'r1', 'COUNT', 3, 'STREAMS', scope.stream, '>')) as [string, [string, string[]][]][];
    const readIds = read[0]?.[1].map(([id]) => id) ?? [];
    await scope.redis.xack(scope.stream, 'reader', readIds[0] ?? '');

    const stats = await streamGroupStats(scope.redis, scope.stream);

    expect(stats).toEqual([
      { name: 'idle', consumers: 0, pending: 0, lag: 5, lastDeliveredId: '0-0', oldestPendingId: null },
      { name: 'reader', consumers: 1, pending: 2, lag: 2, lastDeliveredId: readIds[2], oldestPendingId: readIds[1] },
    ]);
    expect(await streamGroupStats(scope.redis, `${scope.stream}.missing`)).toEqual([]);
  });
});
