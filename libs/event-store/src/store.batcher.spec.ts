import { loadConfig } from '@app/config';
import { RetriableError } from '@app/redis-streams';
import { storeBatcher } from './store.batcher.js';

interface Item {
  entryId: string;
  name: string;
}

describe('storeBatcher', () => {
  const config = loadConfig({ STREAM_MAX_IN_FLIGHT: '64' });

  it('writes the entries handed over at once in stream order, whatever order their handlers finished in', async () => {
    const batches: string[][] = [];
    const batcher = storeBatcher<Item>(config, 'Writing', (items) => {
      batches.push(items.map((i) => i.name));
      return Promise.resolve();
    });
    const finished: Item[] = [
      { entryId: '1732350000000-10', name: 'c' },
      { entryId: '1732350000001-0', name: 'd' },
      { entryId: '1732350000000-2', name: 'b' },
      { entryId: '999999999999-7', name: 'a' },
    ];
    await Promise.all(finished.map((item) => batcher.add(item)));

    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('fails the entry of an item whose write failed with a RetriableError, so it stays pending', async () => {
    const batcher = storeBatcher<Item>(config, 'Writing', (items) =>
      items.some((i) => i.name === 'bad') ? Promise.reject(new Error('constraint violated')) : Promise.resolve(),
    );
    const outcomes = await Promise.allSettled([batcher.add({ entryId: '1-0', name: 'good' }), batcher.add({ entryId: '2-0', name: 'bad' })]);

    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: undefined });
    expect(outcomes[1]).toEqual({ status: 'rejected', reason: expect.any(RetriableError) });
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'Writing failed: constraint violated' });
  });
});
