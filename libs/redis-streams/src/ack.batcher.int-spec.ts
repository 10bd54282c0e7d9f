import { createLogger } from '@app/observability';
import { eventually, testConfig } from '@app/testing';
import { Redis } from 'ioredis';
import { AckBatcher } from './ack.batcher.js';

describe('AckBatcher (Redis)', () => {
  const config = testConfig();
  const stream = `${config.REDIS_KEY_PREFIX}acks`;
  const group = 'acks';
  let redis: Redis;
  /** The XACK commands sent, as their id lists. */
  let sent: string[][];
  let acks: AckBatcher;

  const pendingIds = async () => ((await redis.xpending(stream, group, '-', '+', 100)) as [string][]).map(([id]) => id);

  /** Adds `n` entries and delivers them to the group, so they are pending. */
  async function delivered(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(String(await redis.xadd(stream, '*', 'n', String(i))));
    await redis.xreadgroup('GROUP', group, 'c1', 'COUNT', n, 'STREAMS', stream, '>');
    return ids;
  }

  beforeEach(async () => {
    redis = new Redis(config.REDIS_URL);
    await redis.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
    sent = [];
    const counting = new Proxy(redis, {
      get: (target, property, receiver) =>
        property === 'xack'
          ? (key: string, name: string, ...ids: string[]) => {
              sent.push(ids);
              return target.xack(key, name, ...ids);
            }
          : (Reflect.get(target, property, receiver) as unknown),
    });
    acks = new AckBatcher(counting, group, createLogger('ack-batcher-test', 'silent'));
  });

  afterEach(async () => {
    await acks.flush();
    await redis.del(stream);
    await redis.quit();
  });

  it('sends acknowledgements nobody waits for with the next ones a handler waits for, in one XACK', async () => {
    const [skipped1, skipped2, handled] = (await delivered(3)) as [string, string, string];
    acks.ackLater(stream, skipped1);
    acks.ackLater(stream, skipped2);
    await acks.ack(stream, handled);

    expect(await pendingIds()).toEqual([]);
    expect(sent).toEqual([[skipped1, skipped2, handled]]);
  });

  it('sends them on their own after a short while when no other acknowledgement comes', async () => {
    const ids = await delivered(2);
    for (const id of ids) acks.ackLater(stream, id);
    expect(await pendingIds()).toEqual(ids);

    await eventually(async () => expect(await pendingIds()).toEqual([]));
    expect(sent).toEqual([ids]);
  });

  it('sends them at once on flush', async () => {
    const ids = await delivered(2);
    for (const id of ids) acks.ackLater(stream, id);
    await acks.flush();

    expect(await pendingIds()).toEqual([]);
    expect(sent).toEqual([ids]);
  });
});
