import { type EventEnvelope, STREAMS, createEnvelope } from '@app/contracts';
import { RetriableError } from '@app/redis-streams';
import { register } from 'prom-client';
import { BusTestScope, eventually, gate, testConfig } from '@app/testing';

/** The delivery contract, one suite run on each bus: what a worker sees must not depend on `BUS`. */
describe.each(['redis-streams', 'nats'] as const)('the %s transport', (bus) => {
  let scope: BusTestScope;

  beforeEach(async () => {
    scope = await BusTestScope.open(testConfig({ BUS: bus }));
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('delivers every event to every group once', async () => {
    const seen: Record<string, string[]> = { payment: [], audit: [] };
    for (const group of ['payment', 'audit']) await scope.worker({ group }, (event) => void seen[group]!.push(event.eventId));
    const published = await Promise.all([scope.orderCreated('chk-1'), scope.orderCreated('chk-2')]);
    const ids = published.map((event) => event.eventId).sort();
    await eventually(() => expect({ payment: [...seen['payment']!].sort(), audit: [...seen['audit']!].sort() }).toEqual({ payment: ids, audit: ids }));
    await eventually(async () => expect(await scope.pending('payment')).toBe(0));
    // The workers report their group's lag and pending as gauges, whichever the bus.
    const gauges = (await register.getSingleMetricAsString('stream_group_pending')) + (await register.getSingleMetricAsString('stream_group_lag'));
    for (const group of ['payment', 'audit']) {
      expect(gauges).toContain(`stream_group_pending{topic="${STREAMS.checkout}",group="${group}"} 0`);
      expect(gauges).toContain(`stream_group_lag{topic="${STREAMS.checkout}",group="${group}"} 0`);
    }
  });

  it('shares a group between competing instances, each event handled by one of them', async () => {
    const byInstance: Record<string, string[]> = { a: [], b: [] };
    for (const consumer of ['a', 'b']) await scope.worker({ group: 'payment', consumer }, (event) => void byInstance[consumer]!.push(event.eventId));
    const published = await Promise.all(Array.from({ length: 30 }, (_, i) => scope.orderCreated(`chk-${i}`)));
    await eventually(() => expect(byInstance['a']!.length + byInstance['b']!.length).toBe(30));
    expect([...byInstance['a']!, ...byInstance['b']!].sort()).toEqual(published.map((event) => event.eventId).sort());
  });

  it('delivers again to another instance an event whose consumer died mid-handler', async () => {
    const started = gate();
    const doomed = await scope.worker({ group: 'payment', consumer: 'doomed', drainMs: 50 }, () => {
      started.open();
      return new Promise(() => undefined);
    });
    const published = await scope.orderCreated('chk-kill');
    await started.promise;
    // Past its drain deadline the consumer leaves the event unacknowledged and stops reporting progress, as a crashed one would.
    await doomed.close();

    const handled: Array<{ eventId: string; attempt: number }> = [];
    await scope.worker(
      { group: 'payment', consumer: 'survivor' },
      (event, context) => void handled.push({ eventId: event.eventId, attempt: context.getAttempt() }),
    );
    await eventually(() => expect(handled).toEqual([{ eventId: published.eventId, attempt: 2 }]));
    await eventually(async () => expect(await scope.pending('payment')).toBe(0));
  });

  it('dead-letters a poison message at once, without calling the handler', async () => {
    const calls: string[] = [];
    await scope.worker({ group: 'payment' }, (event) => void calls.push(event.eventId));
    await scope.poison();
    const valid = await scope.orderCreated('chk-after-poison');
    await eventually(async () => expect(await scope.admin.listDeadLetters(STREAMS.checkout, { limit: 10 })).toHaveLength(1));
    const [letter] = await scope.admin.listDeadLetters(STREAMS.checkout, { limit: 10 });
    expect(letter).toMatchObject({ group: 'payment', attempts: 1, originalStream: STREAMS.checkout, error: expect.stringContaining('unparsable') as unknown });
    await eventually(() => expect(calls).toEqual([valid.eventId]));
  });

  it('delivers a failing event again with backoff up to the cap, then dead-letters it with its error; a redrive delivers it again', async () => {
    const attempts: number[] = [];
    let healthy = false;
    await scope.worker({ group: 'payment' }, (_event, context) => {
      attempts.push(context.getAttempt());
      return healthy ? undefined : Promise.reject(new RetriableError('inventory timed out'));
    });
    const published = await scope.orderCreated('chk-cap');
    await eventually(async () => expect(await scope.admin.listDeadLetters(STREAMS.checkout, { limit: 10 })).toHaveLength(1));
    expect(attempts).toEqual([1, 2, 3]);
    const [letter] = await scope.admin.listDeadLetters(STREAMS.checkout, { limit: 10 });
    expect(letter).toMatchObject({ group: 'payment', attempts: 3, error: 'RetriableError: inventory timed out', event: { eventId: published.eventId } });
    expect((await scope.admin.summary(STREAMS.checkout)).deadLetters).toBe(1);

    healthy = true;
    expect(await scope.admin.redriveDeadLetter(STREAMS.checkout, letter!.id)).toEqual(expect.stringMatching(/^\d+-\d+$/));
    await eventually(() => expect(attempts).toEqual([1, 2, 3, 1]));
    expect(await scope.admin.listDeadLetters(STREAMS.checkout, { limit: 10 })).toEqual([]);
    expect(await scope.admin.redriveDeadLetter(STREAMS.checkout, letter!.id)).toBeUndefined();
  });

  it('handles the events of one checkout one after the other, in publish order, while checkouts run in parallel', async () => {
    const seen = new Map<string, number[]>();
    let running = 0;
    let overlapped = false;
    await scope.worker({ group: 'payment' }, async (event) => {
      const { checkoutId, totalCents } = event.payload;
      running += 1;
      if (running > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, (totalCents * 7) % 5));
      seen.set(checkoutId, [...(seen.get(checkoutId) ?? []), totalCents]);
      running -= 1;
    });
    for (let seq = 0; seq < 10; seq++) await scope.publisher.publishMany([0, 1, 2].map((n) => orderCreated(`chk-${n}`, seq)));
    await eventually(() => expect([...seen.values()].flat()).toHaveLength(30));
    for (const n of [0, 1, 2]) expect(seen.get(`chk-${n}`)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(overlapped).toBe(true);
  });

  it('drains on shutdown: the handler under way finishes and its event is acknowledged', async () => {
    const started = gate();
    const finished: string[] = [];
    const worker = await scope.worker({ group: 'payment' }, async (event) => {
      started.open();
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished.push(event.eventId);
    });
    const published = await scope.orderCreated('chk-drain');
    await started.promise;
    await worker.close();
    expect(finished).toEqual([published.eventId]);

    const again: string[] = [];
    await scope.worker({ group: 'payment' }, (event) => void again.push(event.eventId));
    await eventually(async () => expect(await scope.pending('payment')).toBe(0));
    // Another event goes through, and the drained one does not come back.
    const next = await scope.orderCreated('chk-next');
    await eventually(() => expect(again).toEqual([next.eventId]));
  });
});

function orderCreated(checkoutId: string, seq: number): EventEnvelope<'OrderCreated'> {
  const payload = { checkoutId, clientId: `client-${checkoutId}`, orderId: `order-${checkoutId}`, totalCents: seq, paymentToken: 'tok_visa' };
  return createEnvelope('OrderCreated', payload, { correlationId: checkoutId, producer: 'test' });
}
