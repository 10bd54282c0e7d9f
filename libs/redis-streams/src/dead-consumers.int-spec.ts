import { eventually, testConfig } from '@app/testing';
import { StreamsTestScope } from '../test/streams.test-kit.js';
import { removeDeadConsumers } from './dead-consumers.js';
import { streamGroupStats } from './stream-group.stats.js';

describe('redis-streams dead consumers', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  const consumersOf = async (group: string): Promise<string[]> => {
    const consumers = (await scope.redis.xinfo('CONSUMERS', scope.stream, group)) as string[][];
    return consumers.map((fields) => String(fields[fields.indexOf('name') + 1])).sort();
  };

  it('removes a consumer that holds nothing and has been idle past the bound, never one that holds entries, a recent one, or itself', async () => {
    await scope.orderCreated('chk-held');
    await scope.redis.xgroup('CREATE', scope.stream, 'g', '0', 'MKSTREAM');
    // `holder` read the entry and never acknowledged it; the others hold nothing.
    await scope.redis.xreadgroup('GROUP', 'g', 'holder', 'COUNT', 1, 'STREAMS', scope.stream, '>');
    for (const name of ['gone', 'me']) await scope.redis.xgroup('CREATECONSUMER', scope.stream, 'g', name);

    expect(await removeDeadConsumers(scope.redis, scope.stream, 'g', 'me', 60_000)).toEqual([]);
    await eventually(async () => expect(await removeDeadConsumers(scope.redis, scope.stream, 'g', 'me', 100)).toEqual(['gone']));

    expect(await consumersOf('g')).toEqual(['holder', 'me']);
    expect(await scope.pending('g')).toBe(1);
  });

  it('after a restart under a new name, claims what the old consumer held, then removes it', async () => {
    const published = await scope.orderCreated('chk-restart');
    // The previous process of the app read the entry, then died; its successor has another pid, so another name.
    await scope.redis.xgroup('CREATE', scope.stream, 'audit', '0', 'MKSTREAM');
    await scope.redis.xreadgroup('GROUP', 'audit', 'host-1001', 'COUNT', 1, 'STREAMS', scope.stream, '>');

    const handled: string[] = [];
    await scope.worker({ group: 'audit', consumer: 'host-1002', claimIdleMs: 200, blockMs: 100 }, (event) => void handled.push(event.eventId));

    await eventually(() => expect(handled).toEqual([published.eventId]));
    await eventually(async () => expect(await consumersOf('audit')).toEqual(['host-1002']));
    const [group] = await streamGroupStats(scope.redis, scope.stream);
    expect(group).toMatchObject({ name: 'audit', consumers: 1, pending: 0 });
  });
});
