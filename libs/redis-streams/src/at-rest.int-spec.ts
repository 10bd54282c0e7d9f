import { eventually, testConfig } from '@app/testing';
import { StreamsTestScope, orderCreatedEvent } from '../test/streams.test-kit.js';
import { encodeEnvelope } from './stream-entry.codec.js';

/** A group with nothing to do should leave Redis alone, without giving up on dead consumers' entries. */
describe('redis-streams at rest', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  /** Seconds since the named connection last sent a command (CLIENT LIST has a one-second resolution). */
  const idleSeconds = async (name: string): Promise<number> => {
    const line = String(await scope.redis.client('LIST'))
      .split('\n')
      .find((l) => l.includes(` name=${name} `));
    return Number(/ idle=(\d+)/.exec(line ?? '')?.[1] ?? -1);
  };

  it('stops claiming and trimming while the group reads nothing: its command connection falls silent', async () => {
    const handled: string[] = [];
    await scope.worker(
      { group: 'resting', consumer: 'c1', claimIntervalMs: 100, claimIdleMs: 8_000, trim: { maxLen: 0, intervalMs: 100, approximate: false } },
      (event) => void handled.push(event.payload.checkoutId),
    );
    await scope.orderCreated('chk-before-rest');
    await eventually(() => expect(handled).toEqual(['chk-before-rest']));
    // Claims every 100 ms and trims every 100 ms would keep it at 0.
    await eventually(async () => expect(await idleSeconds('resting:c1:commands')).toBeGreaterThanOrEqual(2), { timeoutMs: 20_000, intervalMs: 250 });
  }, 30_000);

  it('still takes over the entry of a dead consumer once the group has backed off', async () => {
    const handled: string[] = [];
    await scope.worker({ group: 'rescuer', consumer: 'alive', claimIntervalMs: 100, claimIdleMs: 1_000 }, (event) => void handled.push(event.payload.checkoutId));
    await scope.orderCreated('chk-warm');
    await eventually(() => expect(handled).toEqual(['chk-warm']));
    // Past the backoff's cap (claimIdleMs): the group is at rest when the consumer below dies.
    await eventually(async () => expect(await idleSeconds('rescuer:alive:commands')).toBeGreaterThanOrEqual(1), { timeoutMs: 10_000, intervalMs: 100 });
    // Added and read by `dead` in one transaction, before the blocked live reader is served.
    const stranded = orderCreatedEvent('chk-stranded');
    const replies = await scope.redis
      .multi()
      .xadd(scope.stream, '*', ...encodeEnvelope(stranded))
      .xreadgroup('GROUP', 'rescuer', 'dead', 'COUNT', 1, 'STREAMS', scope.stream, '>')
      .exec();
    expect(JSON.stringify(replies)).toContain(stranded.eventId);
    // Within twice the claim idle time (plus a read block) of its delivery to the dead consumer.
    await eventually(() => expect(handled).toEqual(['chk-warm', 'chk-stranded']), { timeoutMs: 4_000 });
  }, 30_000);
});
