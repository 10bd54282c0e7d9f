import { StopSignal } from './stop.signal.js';

describe('StopSignal', () => {
  it('ends a wait when its promise settles, whatever the outcome, and forgets it', async () => {
    const signal = new StopSignal();
    await signal.until(Promise.resolve('done'));
    await signal.until(Promise.reject(new Error('failed')));
    expect(signal.waiting).toBe(0);
  });

  it('ends every wait under way on stop, and later ones at once', async () => {
    const signal = new StopSignal();
    const never = new Promise<void>(() => undefined);
    const waits = [signal.until(never), signal.sleep(60_000)];
    expect(signal.waiting).toBe(2);
    signal.stop();
    await Promise.all(waits);
    expect(signal.waiting).toBe(0);
    await signal.until(never);
    expect(signal.isStopped).toBe(true);
  });

  it('keeps nothing of a finished wait, however many there were', async () => {
    const signal = new StopSignal();
    for (let i = 0; i < 1_000; i++) await signal.sleep(0);
    expect(signal.waiting).toBe(0);
  });
});
