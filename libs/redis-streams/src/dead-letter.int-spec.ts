import { PermanentError, RetriableError } from '@app/bus-delivery';
import { eventually, testConfig } from '@app/testing';
import { register } from 'prom-client';
import { throwError } from 'rxjs';
import { PlainOrderCreatedHandler, StreamsTestScope } from '../test/streams.test-kit.js';

async function deadLetterCount(group: string): Promise<number> {
  const metric = await register.getSingleMetric('stream_dead_letters_total')?.get();
  return metric?.values.find((v) => v.labels['consumer'] === group)?.value ?? 0;
}

describe('redis-streams dead letters', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('delivers a RetriableError again after a doubling delay, not after the claim idle time, then dead-letters it', async () => {
    const calls: Array<{ attempt: number; at: number }> = [];
    // A claim idle time far beyond the test: only the delivery policy's delays can bring the entry back.
    const timing = { claimIdleMs: 60_000, retryDelayMs: 300, maxRetryDelayMs: 600 };
    await scope.worker({ group: 'backoff', maxAttempts: 3, ...timing }, (_event, context) => {
      calls.push({ attempt: context.getAttempt(), at: performance.now() });
      return Promise.reject(new RetriableError('inventory timed out'));
    });
    await scope.orderCreated('chk-backoff');

    await eventually(async () => expect(await scope.deadLetters()).toEqual([expect.objectContaining({ error: 'RetriableError: inventory timed out', attempts: '3' })]));
    expect(calls.map((call) => call.attempt)).toEqual([1, 2, 3]);
    const [first, second, third] = calls.map((call) => call.at) as [number, number, number];
    // Timers may fire a millisecond early by the clock the test reads.
    expect(second - first).toBeGreaterThanOrEqual(295);
    expect(third - second).toBeGreaterThanOrEqual(595);
    expect(await scope.pending('backoff')).toBe(0);
  });

  it('dead-letters at once an error nobody declared retriable, with its message', async () => {
    let calls = 0;
    await scope.worker({ group: 'defect', maxAttempts: 5 }, () => {
      calls += 1;
      return Promise.reject(new TypeError("Cannot read properties of undefined (reading 'orderId')"));
    });
    await scope.orderCreated('chk-defect');

    await eventually(async () =>
      expect(await scope.deadLetters()).toEqual([
        expect.objectContaining({ error: "TypeError: Cannot read properties of undefined (reading 'orderId')", group: 'defect', attempts: '1' }),
      ]),
    );
    expect(calls).toBe(1);
    expect(await scope.pending('defect')).toBe(0);
  });

  it('retries a failing handler up to maxAttempts, then moves the entry to <stream>.dlq with its story', async () => {
    const attempts: number[] = [];
    await scope.worker({ group: 'poisoned', maxAttempts: 3 }, (_event, context) => {
      attempts.push(context.getAttempt());
      return Promise.reject(new RetriableError('inventory timed out'));
    });
    const published = await scope.orderCreated('chk-poison');
    const [[entryId]] = (await scope.redis.xrange(scope.stream, '-', '+')) as [[string, string[]]];

    const [letter] = await eventually(async () => {
      const found = await scope.deadLetters();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(attempts).toEqual([1, 2, 3]);
    expect(letter).toMatchObject({
      error: 'RetriableError: inventory timed out',
      originalId: entryId,
      originalStream: scope.stream,
      group: 'poisoned',
      attempts: '3',
    });
    expect(JSON.parse(letter?.['event'] ?? '')).toEqual(published);
    expect(await scope.pending('poisoned')).toBe(0);
    expect(await deadLetterCount('poisoned')).toBe(1);
  });

  it('dead-letters a PermanentError at once, even from a bare @EventPattern handler', async () => {
    let calls = 0;
    await scope.worker(
      { group: 'permanent', maxAttempts: 5 },
      () => {
        calls += 1;
        return Promise.reject(new PermanentError('order belongs to another client'));
      },
      PlainOrderCreatedHandler,
    );
    await scope.orderCreated('chk-permanent');

    const [letter] = await eventually(async () => {
      const found = await scope.deadLetters();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letter).toMatchObject({ error: 'PermanentError: order belongs to another client', group: 'permanent', attempts: '1' });
    expect(calls).toBe(1);
    expect(await scope.pending('permanent')).toBe(0);
  });

  it('waits for an observable handler: one that errors with a PermanentError is dead-lettered', async () => {
    await scope.worker({ group: 'observable' }, () => throwError(() => new PermanentError('refused downstream')));
    await scope.orderCreated('chk-observable');

    await eventually(async () =>
      expect(await scope.deadLetters()).toEqual([expect.objectContaining({ error: 'PermanentError: refused downstream', attempts: '1' })]),
    );
  });

  it('dead-letters unparsable entries at once without calling the handler', async () => {
    let calls = 0;
    await scope.worker({ group: 'strict' }, () => void (calls += 1));
    const notJson = await scope.redis.xadd(scope.stream, '*', 'event', '{not json');
    const noEventField = await scope.redis.xadd(scope.stream, '*', 'payload', 'x');
    const notAnEnvelope = await scope.redis.xadd(scope.stream, '*', 'event', '{"hello":"world"}');

    const letters = await eventually(async () => {
      const found = await scope.deadLetters();
      expect(found).toHaveLength(3);
      return found;
    });
    const byId = Object.fromEntries(letters.map((letter) => [letter['originalId'], letter]));
    expect(byId[notJson ?? '']).toMatchObject({ event: '{not json', attempts: '1', group: 'strict', error: expect.stringMatching(/^unparsable entry/) });
    expect(byId[noEventField ?? '']).toMatchObject({ fields: '["payload","x"]', error: 'unparsable entry: no "event" field' });
    expect(byId[notAnEnvelope ?? '']?.['error']).toMatch(/not an event envelope/);
    expect(calls).toBe(0);
    expect(await scope.pending('strict')).toBe(0);
  });

  it('dead-letters a handled event whose payload breaks its contract, and ignores it where its type is not handled', async () => {
    let calls = 0;
    await scope.worker({ group: 'strict' }, () => void (calls += 1));
    const envelope = { ...(await scope.orderCreated('chk-shape')) };
    const malformed = await scope.redis.xadd(
      scope.stream,
      '*',
      'event',
      JSON.stringify({ ...envelope, eventId: 'e-bad', payload: { checkoutId: 'chk-shape', totalCents: 'lots' } }),
    );
    // A known type this worker has no handler for is none of its business, however it looks.
    await scope.redis.xadd(scope.stream, '*', 'event', JSON.stringify({ ...envelope, eventId: 'e-other', type: 'OrderConfirmed', payload: {} }));

    const letters = await eventually(async () => {
      const found = await scope.deadLetters();
      expect(found).toHaveLength(1);
      expect(await scope.pending('strict')).toBe(0);
      return found;
    });
    expect(letters[0]).toMatchObject({ originalId: malformed, group: 'strict', attempts: '1' });
    expect(letters[0]?.['error']).toMatch(/^poison event: .*payload\.clientId must be string.*payload\.totalCents must be number/);
    expect(calls).toBe(1);
  });
});
