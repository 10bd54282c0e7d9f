import type { EventEnvelope } from '@app/contracts';
import { eventually, testConfig } from '@app/testing';
import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { redriveDeadLetter } from './dead-letter.redrive.js';
import { OnEvent } from './on-event.decorator.js';
import { streamGroupStats } from './stream-group.stats.js';
import { BEHAVIOR, StreamsTestScope, orderCreatedEvent } from '../test/streams.test-kit.js';

@Controller()
class OrderConfirmedHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: (event: EventEnvelope<'OrderConfirmed'>) => unknown) {}

  @OnEvent('OrderConfirmed')
  handle(@Payload() event: EventEnvelope<'OrderConfirmed'>): unknown {
    return this.behavior(event);
  }
}

describe('redis-streams entry type field', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  /** Entries not yet delivered to `group`, and delivered but not acknowledged. */
  const progress = async (group: string, stream = scope.stream) => {
    const stats = (await streamGroupStats(scope.redis, stream)).find((g) => g.name === group);
    return { lag: stats?.lag, pending: stats?.pending };
  };

  it('acknowledges entries of types the group does not handle without parsing them, and handles the others', async () => {
    const handled: string[] = [];
    await scope.worker({ group: 'orders' }, (event) => void handled.push(event.eventId));
    // Were these parsed, they would be poison and end up dead-lettered instead of acknowledged.
    await scope.redis.xadd(scope.stream, '*', 'event', '{not json', 'type', 'OrderConfirmed');
    await scope.redis.xadd(scope.stream, '*', 'event', '{"hello":"world"}', 'type', 'PaymentAuthorized');
    const wanted = await scope.orderCreated('chk-wanted');
    await scope.redis.xadd(scope.stream, '*', 'type', 'StockReserved', 'event', '[]');

    await eventually(async () => expect([handled, await progress('orders')]).toEqual([[wanted.eventId], { lag: 0, pending: 0 }]));
    expect(await scope.deadLetters()).toEqual([]);
  });

  it('dead-letters an unparsable entry of a type it handles, keeping both fields for a redrive', async () => {
    const handled: string[] = [];
    await scope.worker({ group: 'orders' }, (event) => void handled.push(event.eventId));
    const poison = await scope.redis.xadd(scope.stream, '*', 'event', '{"eventId": "cut short', 'type', 'OrderCreated');

    const [letter] = await eventually(async () => {
      const found = await scope.deadLetters();
      expect([found.length, await progress('orders')]).toEqual([1, { lag: 0, pending: 0 }]);
      return found;
    });
    expect(letter).toMatchObject({ originalId: poison, event: '{"eventId": "cut short', type: 'OrderCreated', group: 'orders', attempts: '1' });
    expect(letter?.['error']).toMatch(/^unparsable entry/);
    expect(handled).toEqual([]);

    const [deadLetterId] = (await scope.redis.xrange(`${scope.eventStream}.dlq`, '-', '+'))[0] ?? [];
    // Dead letters are the checkout stream's; a redrive puts this one back on the type stream it was read from.
    const redriven = await redriveDeadLetter(scope.redis, scope.eventStream, deadLetterId ?? '');
    expect(await scope.redis.xrange(scope.stream, redriven ?? '', redriven ?? '')).toEqual([
      [redriven, ['event', '{"eventId": "cut short', 'type', 'OrderCreated']],
    ]);
  });

  it('dead-letters an entry whose type field contradicts its envelope where the field type is handled, and skips it elsewhere', async () => {
    const created: string[] = [];
    const confirmed: string[] = [];
    await scope.worker({ group: 'orders' }, (event) => void created.push(event.eventId));
    // OrderConfirmed has no type stream: its workers read the whole checkout stream.
    await scope.worker({ group: 'confirmations' }, (event) => void confirmed.push(event.eventId), OrderConfirmedHandler);
    const forged = await scope.redis.xadd(scope.eventStream, '*', 'event', JSON.stringify(orderCreatedEvent('chk-forged')), 'type', 'OrderConfirmed');
    const genuine = await scope.orderCreated('chk-genuine');

    const letters = await eventually(async () => {
      const found = await scope.deadLetters();
      const done = { lag: 0, pending: 0 };
      expect([found.length, await progress('orders'), await progress('confirmations', scope.eventStream)]).toEqual([1, done, done]);
      return found;
    });
    expect(letters[0]).toMatchObject({ originalId: forged, group: 'confirmations' });
    expect(letters[0]?.['error']).toBe('unparsable entry: its "type" field says "OrderConfirmed", its envelope "OrderCreated"');
    expect([created, confirmed]).toEqual([[genuine.eventId], []]);
  });

  it('still reads entries written without a type field: handled, skipped after parsing, or dead-lettered', async () => {
    const handled: string[] = [];
    await scope.worker({ group: 'orders' }, (event) => void handled.push(event.eventId));
    const old = orderCreatedEvent('chk-old');
    await scope.redis.xadd(scope.stream, '*', 'event', JSON.stringify(old));
    await scope.redis.xadd(
      scope.stream,
      '*',
      'event',
      JSON.stringify({ ...old, eventId: 'e-other', type: 'OrderConfirmed', payload: { checkoutId: 'chk-old' } }),
    );
    const poison = await scope.redis.xadd(scope.stream, '*', 'event', '{not json');

    const letters = await eventually(async () => {
      const found = await scope.deadLetters();
      expect([found.length, handled, await progress('orders')]).toEqual([1, [old.eventId], { lag: 0, pending: 0 }]);
      return found;
    });
    expect(letters[0]).toMatchObject({ originalId: poison, event: '{not json' });
    expect(letters[0]).not.toHaveProperty('type');
  });
});
