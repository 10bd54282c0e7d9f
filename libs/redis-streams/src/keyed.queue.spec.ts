import { KeyedQueue } from './keyed.queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('runs tasks of one key in order, even when an earlier one is slower', async () => {
    const queue = new KeyedQueue(() => undefined);
    const log: string[] = [];
    const slow = deferred();
    const first = queue.add('a', async () => {
      await slow.promise;
      log.push('a1');
    });
    const second = queue.add('a', () => Promise.resolve().then(() => void log.push('a2')));
    await Promise.resolve();
    expect(log).toEqual([]);
    slow.resolve();
    await Promise.all([first, second]);
    expect(log).toEqual(['a1', 'a2']);
  });

  it('runs different keys in parallel', async () => {
    const queue = new KeyedQueue(() => undefined);
    const blocker = deferred();
    const log: string[] = [];
    const blocked = queue.add('a', () => blocker.promise.then(() => void log.push('a')));
    await queue.add('b', () => Promise.resolve().then(() => void log.push('b')));
    expect(log).toEqual(['b']);
    blocker.resolve();
    await blocked;
    expect(log).toEqual(['b', 'a']);
  });

  it('counts unsettled tasks and wakes waiters as they settle', async () => {
    const queue = new KeyedQueue(() => undefined);
    const gates = [deferred(), deferred(), deferred()];
    gates.forEach((gate, i) => void queue.add(`k${i}`, () => gate.promise));
    expect(queue.size).toBe(3);
    let belowThree = false;
    const waiting = queue.below(3).then(() => (belowThree = true));
    await Promise.resolve();
    expect(belowThree).toBe(false);
    gates[0]?.resolve();
    await waiting;
    expect(queue.size).toBe(2);
    gates[1]?.resolve();
    gates[2]?.resolve();
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  it('reports a failed task and keeps running the next task of its key', async () => {
    const errors: unknown[] = [];
    const queue = new KeyedQueue((error) => errors.push(error));
    const ran: string[] = [];
    void queue.add('a', () => Promise.reject(new Error('boom')));
    await queue.add('a', () => Promise.resolve().then(() => void ran.push('next')));
    expect(errors).toEqual([new Error('boom')]);
    expect(ran).toEqual(['next']);
  });

  it('runs tasks without a key at once, whatever runs before them, and counts them', async () => {
    const queue = new KeyedQueue(() => undefined);
    const slow = deferred();
    const log: string[] = [];
    const first = queue.add(null, () => slow.promise.then(() => void log.push('first')));
    const second = queue.add(null, () => Promise.resolve().then(() => void log.push('second')));
    expect(queue.size).toBe(2);
    await second;
    expect(log).toEqual(['second']);
    expect(queue.size).toBe(1);
    slow.resolve();
    await first;
    await queue.idle();
    expect(log).toEqual(['second', 'first']);
  });
});
