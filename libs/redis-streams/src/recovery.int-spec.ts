import { RetriableError } from '@app/bus-delivery';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually, testConfig } from '@app/testing';
import type { Redis } from 'ioredis';
import { StreamsTestScope, gate } from '../test/streams.test-kit.js';

/** The id of the client connected under `name`, from CLIENT LIST. */
async function clientIdByName(redis: Redis, name: string): Promise<string | undefined> {
  const list = String(await redis.client('LIST'));
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  return /^id=(\d+)/.exec(line ?? '')?.[1];
}

describe('redis-streams recovery', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('claims the entry of a consumer that died mid-handler and handles it on another consumer', async () => {
    const started = gate();
    const doomed = await scope.worker({ group: 'stock', consumer: 'doomed', drainMs: 50 }, () => {
      started.open();
      return new Promise(() => undefined);
    });
    const published = await scope.orderCreated('chk-kill');
    await started.promise;
    // Past its drain deadline the consumer leaves the entry pending and stops refreshing it, as a crashed one would.
    await doomed.app.close();

    const handled: Array<{ eventId: string; attempt: number }> = [];
    await scope.worker(
      { group: 'stock', consumer: 'survivor' },
      (event, context) => void handled.push({ eventId: event.eventId, attempt: context.getAttempt() }),
    );

    await eventually(() => expect(handled).toEqual([{ eventId: published.eventId, attempt: 2 }]));
    await eventually(async () => expect(await scope.pending('stock')).toBe(0));
  });

  it('does not take back for its retry an entry another consumer claimed while it waited', async () => {
    const calls: Array<{ checkoutId: string; attempt: number }> = [];
    const failedOnce = gate();
    await scope.worker({ group: 'frozen', consumer: 'a', retryDelayMs: 500, maxRetryDelayMs: 500, claimIdleMs: 60_000 }, (event, context) => {
      calls.push({ checkoutId: event.payload.checkoutId, attempt: context.getAttempt() });
      if (event.payload.checkoutId === 'chk-taken') failedOnce.open();
      if (context.getAttempt() > 1) return;
      return Promise.reject(new RetriableError('inventory timed out'));
    });
    await scope.orderCreated('chk-taken');
    await failedOnce.promise;
    const [[takenId]] = (await scope.redis.xrange(scope.stream, '-', '+')) as [[string, string[]]];
    // As if `a` had frozen past the claim idle time: another consumer claimed the entry meanwhile.
    await scope.redis.xclaim(scope.stream, 'frozen', 'b', 0, takenId);
    // A later entry failing the same way is retried after the same delay: once it is, the first one's wait is over too.
    await scope.orderCreated('chk-clock');

    await eventually(() => expect(calls).toContainEqual({ checkoutId: 'chk-clock', attempt: 2 }));
    expect(calls.filter((call) => call.checkoutId === 'chk-taken')).toEqual([{ checkoutId: 'chk-taken', attempt: 1 }]);
    const [entry] = (await scope.redis.xpending(scope.stream, 'frozen', '-', '+', 10)) as [string, string, number, number][];
    expect(entry).toEqual([takenId, 'b', expect.any(Number), 2]);
  });

  it('keeps a handler slower than the claim idle time from being claimed and run twice', async () => {
    const runs: string[] = [];
    const slow = async (consumer: string) => {
      runs.push(consumer);
      await delay(800);
    };
    // The first consumer never claims, so nothing but its own refreshes keeps its entry from looking idle.
    await scope.worker({ group: 'slow', consumer: 'first', claimIdleMs: 200, claimIntervalMs: 60_000 }, () => slow('first'));
    await scope.orderCreated('chk-slow');
    await eventually(() => expect(runs).toEqual(['first']));
    await scope.worker({ group: 'slow', consumer: 'second', claimIdleMs: 200 }, () => slow('second'));

    await eventually(async () => expect(await scope.pending('slow')).toBe(0));
    expect(runs).toEqual(['first']);
  });

  it('handles its own pending entries first when it starts again under the same name', async () => {
    const published = await scope.orderCreated('chk-restart');
    // The previous run of the consumer read the entry, then crashed before handling it.
    await scope.redis.xgroup('CREATE', scope.stream, 'restart', '0', 'MKSTREAM');
    await scope.redis.xreadgroup('GROUP', 'restart', 'same-host', 'COUNT', 10, 'STREAMS', scope.stream, '>');

    const handled: Array<{ eventId: string; attempt: number }> = [];
    // A claim idle time far beyond the test: only the re-read of its own pending entries can find the entry.
    await scope.worker({ group: 'restart', consumer: 'same-host', claimIdleMs: 60_000 }, (event, context) => {
      handled.push({ eventId: event.eventId, attempt: context.getAttempt() });
    });

    await eventually(() => expect(handled).toEqual([{ eventId: published.eventId, attempt: 2 }]));
    await eventually(async () => expect(await scope.pending('restart')).toBe(0));
  });

  it('resumes reading after CLIENT KILL of its reading connection', async () => {
    const handled: string[] = [];
    const consumer = `kill-${randomUUID().slice(0, 8)}`;
    await scope.worker({ group: 'audit', consumer }, (event) => void handled.push(event.eventId));
    const first = await scope.orderCreated('chk-before');
    await eventually(() => expect(handled).toEqual([first.eventId]));

    const readerId = await clientIdByName(scope.redis, `audit:${consumer}:reader`);
    expect(readerId).toBeDefined();
    await scope.redis.client('KILL', 'ID', readerId ?? '');
    const second = await scope.orderCreated('chk-after');

    await eventually(() => expect(handled).toEqual([first.eventId, second.eventId]));
    const newReaderId = await clientIdByName(scope.redis, `audit:${consumer}:reader`);
    expect(newReaderId).toBeDefined();
    expect(newReaderId).not.toBe(readerId);
  });

  it('creates its group again when the stream vanished, as after a Redis restart without persistence', async () => {
    const handled: string[] = [];
    await scope.worker({ group: 'audit' }, (event) => void handled.push(event.eventId));
    const first = await scope.orderCreated('chk-before');
    await eventually(() => expect(handled).toEqual([first.eventId]));

    await scope.redis.del(scope.stream);
    const second = await scope.orderCreated('chk-after');

    await eventually(() => expect(handled).toEqual([first.eventId, second.eventId]));
  });

  it('drains on close: waits for the running handler, then acknowledges it', async () => {
    const started = gate();
    const order: string[] = [];
    const worker = await scope.worker({ group: 'drain', drainMs: 5_000 }, async () => {
      started.open();
      await delay(300);
      order.push('handler finished');
    });
    await scope.orderCreated('chk-drain');
    await started.promise;

    await worker.app.close().then(() => order.push('closed'));

    expect(order).toEqual(['handler finished', 'closed']);
    expect(await scope.pending('drain')).toBe(0);
  });

  it('gives up at the drain deadline and leaves the unfinished entry pending for another consumer', async () => {
    const started = gate();
    const worker = await scope.worker({ group: 'stuck', drainMs: 100 }, () => {
      started.open();
      return new Promise(() => undefined);
    });
    await scope.orderCreated('chk-stuck');
    await started.promise;

    const closing = Date.now();
    await worker.app.close();

    expect(Date.now() - closing).toBeLessThan(2_000);
    expect(await scope.pending('stuck')).toBe(1);
  });
});
