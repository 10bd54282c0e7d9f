import { eventually, testConfig } from '@app/testing';
import { StreamsTestScope, orderCreatedEvent } from '../test/streams.test-kit.js';

describe('redis-streams read pause', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('after a read that returned fewer entries than asked for, waits readPauseMs before reading again', async () => {
    const handledAt = new Map<string, number>();
    await scope.worker({ group: 'paused', readPauseMs: 1_000 }, (event) => void handledAt.set(event.payload.checkoutId, performance.now()));
    await scope.orderCreated('first');
    await eventually(() => expect([...handledAt.keys()]).toEqual(['first']));

    await scope.publisher.publishMany(['a', 'b', 'c'].map(orderCreatedEvent));
    await eventually(() => expect([...handledAt.keys()].sort()).toEqual(['a', 'b', 'c', 'first']));
    await eventually(async () => expect(await scope.pending('paused')).toBe(0));
    const first = handledAt.get('first') ?? 0;
    const next = Math.min(...['a', 'b', 'c'].map((id) => handledAt.get(id) ?? 0));
    // The pause starts as the read of 'first' returns, just before its handler runs (a few ms of timer rounding allowed).
    expect(next - first).toBeGreaterThanOrEqual(990);
  });

  it('does not pause after full reads, so a backlog is read without waiting', async () => {
    await scope.publisher.publishMany(Array.from({ length: 12 }, (_, i) => orderCreatedEvent(`backlog-${i}`)));
    const handled: string[] = [];
    await scope.worker({ group: 'backlog', batchSize: 4, readPauseMs: 60_000 }, (event) => void handled.push(event.payload.checkoutId));

    // Three reads of 4: a pause after any of them would hold the rest for a minute.
    await eventually(() => expect(handled).toHaveLength(12));
    await eventually(async () => expect(await scope.pending('backlog')).toBe(0));
  });

  it('stops at once during a pause, acknowledging what it handled', async () => {
    const handled: string[] = [];
    const { app } = await scope.worker({ group: 'stopping', readPauseMs: 60_000 }, (event) => void handled.push(event.payload.checkoutId));
    await scope.orderCreated('last');
    await eventually(() => expect(handled).toEqual(['last']));

    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await scope.pending('stopping')).toBe(0);
  }, 20_000);
});
