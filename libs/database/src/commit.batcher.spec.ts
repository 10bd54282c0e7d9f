import { CommitBatcher } from './commit.batcher.js';

/** A store whose commits take a few ms, recording each batch and how many ran at once. */
function fakeStore(failOn?: (items: number[]) => boolean) {
  const store = { batches: [] as number[][], committed: [] as number[], running: 0, maxRunning: 0 };
  const commit = async (items: number[]) => {
    store.running += 1;
    store.maxRunning = Math.max(store.maxRunning, store.running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    store.running -= 1;
    store.batches.push(items);
    if (failOn?.(items)) throw new Error(`cannot write ${items.join(',')}`);
    store.committed.push(...items);
  };
  return { store, commit };
}

describe('CommitBatcher', () => {
  it('joins concurrent items into batches of at most maxBatch, one write at a time, each answered after its commit', async () => {
    const { store, commit } = fakeStore();
    const batcher = new CommitBatcher({ commit, maxBatch: 4, lingerMs: 50 });
    const answeredAfterCommit: boolean[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.add(i).then(() => answeredAfterCommit.push(store.committed.includes(i)))));

    expect(store.batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(store.maxRunning).toBe(1);
    expect(answeredAfterCommit).toEqual(Array(10).fill(true));
  });

  it('writes a lone item after lingering, without waiting for a full batch', async () => {
    const { store, commit } = fakeStore();
    const batcher = new CommitBatcher({ commit, maxBatch: 100, lingerMs: 2 });
    await batcher.add(1);
    await batcher.add(2);
    expect(store.batches).toEqual([[1], [2]]);
  });

  it('writes a failed batch again item by item, so only the bad item fails', async () => {
    const { store, commit } = fakeStore((items) => items.includes(13));
    const batcher = new CommitBatcher({ commit, maxBatch: 8, lingerMs: 1 });
    const outcomes = await Promise.allSettled([11, 12, 13, 14].map((i) => batcher.add(i)));

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new Error('cannot write 13'));
    expect(store.committed).toEqual([11, 12, 14]);
  });

  it('writes each batch, and retries a failed one item by item, in the given order rather than the order added', async () => {
    const { store, commit } = fakeStore((items) => items.length > 1);
    const batcher = new CommitBatcher({ commit, maxBatch: 8, lingerMs: 1, order: (a: number, b: number) => a - b });
    await Promise.all([3, 1, 4, 2].map((i) => batcher.add(i)));

    expect(store.batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
    expect(store.committed).toEqual([1, 2, 3, 4]);
  });

  it('without linger, writes an item at once when nothing is being written, and joins the ones that arrive meanwhile into the next write', async () => {
    const { store, commit } = fakeStore();
    const batcher = new CommitBatcher({ commit, maxBatch: 8, lingerMs: 0 });
    const first = batcher.add(1);
    // Already under way, before any timer could have fired.
    expect(store.running).toBe(1);
    await Promise.all([first, batcher.add(2), batcher.add(3)]);
    expect(store.batches).toEqual([[1], [2, 3]]);
  });

  it('answers each item with what the write returned for it, also when a failed batch is written again one by one', async () => {
    const doubled = (failing: number) => async (items: number[]) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (items.includes(failing) && items.length > 1) throw new Error('one of these fails together');
      return items.map((i) => i * 2);
    };
    const batcher = new CommitBatcher<number, number>({ commit: doubled(7), maxBatch: 8, lingerMs: 1 });
    expect(await Promise.all([5, 6, 7].map((i) => batcher.add(i)))).toEqual([10, 12, 14]);
    const ordered = new CommitBatcher<number, number>({ commit: doubled(-1), maxBatch: 8, lingerMs: 1, order: (a, b) => a - b });
    expect(await Promise.all([9, 3, 6].map((i) => ordered.add(i)))).toEqual([18, 6, 12]);
  });
});
