import { type AnyEvent, type EventEnvelope, STREAMS, createEnvelope } from '@app/contracts';
import { eventually, testConfig } from '@app/testing';
import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BEHAVIOR, StreamsTestScope, gate } from '../test/streams.test-kit.js';
import { OnEvent } from './on-event.decorator.js';
import { eventStreamGroupStats, flatToRecord } from './stream-group.stats.js';

type Record = (event: AnyEvent) => unknown;

/** Two types with type streams, taken by one group (as the stock compensation does). */
@Controller()
class CompensationHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: Record) {}

  @OnEvent('OrderCreationFailed')
  failed(@Payload() event: EventEnvelope<'OrderCreationFailed'>): unknown {
    return this.behavior(event);
  }

  @OnEvent('OrderCancelled')
  cancelled(@Payload() event: EventEnvelope<'OrderCancelled'>): unknown {
    return this.behavior(event);
  }
}

/** A type with a type stream and one without, on the same stream. */
@Controller()
class CreatedAndConfirmedHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: Record) {}

  @OnEvent('OrderCreated')
  created(@Payload() event: EventEnvelope<'OrderCreated'>): unknown {
    return this.behavior(event);
  }

  @OnEvent('OrderConfirmed')
  confirmed(@Payload() event: EventEnvelope<'OrderConfirmed'>): unknown {
    return this.behavior(event);
  }
}

const ref = (checkoutId: string) => ({ checkoutId, clientId: `client-${checkoutId}` });
const context = (checkoutId: string) => ({ correlationId: checkoutId, producer: 'test' });
const cancelled = (checkoutId: string, n: number) =>
  createEnvelope('OrderCancelled', { ...ref(checkoutId), orderId: `order-${n}`, reason: 'declined' }, context(checkoutId));
const creationFailed = (checkoutId: string, n: number) =>
  createEnvelope('OrderCreationFailed', { ...ref(checkoutId), code: `CODE_${n}`, reason: 'refused' }, context(checkoutId));
const confirmed = (checkoutId: string) => createEnvelope('OrderConfirmed', { ...ref(checkoutId), orderId: `order-${checkoutId}` }, context(checkoutId));

describe('redis-streams type streams', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  /** The group's record on `key`: how many entries it was handed (Redis' `entries-read`), or undefined when it does not read `key`. */
  const entriesRead = async (key: string, group: string): Promise<number | undefined> => {
    const groups = ((await scope.redis.xinfo('GROUPS', key).catch(() => [])) as unknown[][]).map(flatToRecord);
    const found = groups.find((g) => g['name'] === group);
    return found === undefined ? undefined : Number(found['entries-read']);
  };

  it('wakes a worker only for the events of its types: it reads their type stream, not the whole stream', async () => {
    const handled: string[] = [];
    await scope.worker({ group: 'payment' }, (event) => void handled.push(event.eventId));
    const others = Array.from({ length: 10 }, (_, n) => [cancelled(`chk-other-${n}`, n), confirmed(`chk-other-${n}`)]).flat();
    await scope.publisher.publishMany(others);
    const wanted = await scope.orderCreated('chk-wanted');

    await eventually(() => expect(handled).toEqual([wanted.eventId]));
    await eventually(async () => expect(await scope.pending('payment')).toBe(0));
    // Handed one entry in all: the twenty others never reached the group.
    expect(await entriesRead(scope.stream, 'payment')).toBe(1);
    expect(await entriesRead(scope.eventStream, 'payment')).toBeUndefined();
  });

  it("hands a worker the events of its two type streams in the order they were published, one checkout's one after the other", async () => {
    const seen: string[] = [];
    // Published before the worker starts, so that one read returns both type streams' entries together.
    const events = [creationFailed('chk-1', 1), cancelled('chk-1', 2), creationFailed('chk-1', 3), cancelled('chk-1', 4)];
    await scope.publisher.publishMany(events);
    await scope.worker({ group: 'stock-compensation' }, (event) => void seen.push(event.eventId), CompensationHandler);

    await eventually(() => expect(seen).toEqual(events.map((event) => event.eventId)));
  });

  it('reads the whole stream, and nothing twice, for a worker of a type without a type stream', async () => {
    const seen: string[] = [];
    await scope.worker({ group: 'orders' }, (event) => void seen.push(event.type), CreatedAndConfirmedHandler);
    await scope.orderCreated('chk-mixed');
    await scope.publisher.publishMany([confirmed('chk-mixed'), cancelled('chk-mixed', 1)]);

    await eventually(async () => expect([seen, await entriesRead(scope.eventStream, 'orders')]).toEqual([['OrderCreated', 'OrderConfirmed'], 3]));
    expect(await entriesRead(scope.stream, 'orders')).toBeUndefined();
  });

  it('counts a group reading type streams under the stream whose events they hold, summed, for operators', async () => {
    await scope.publisher.publishMany([creationFailed('chk-a', 1), cancelled('chk-a', 2), cancelled('chk-b', 3)]);
    const held = gate();
    await scope.worker({ group: 'stock-compensation' }, () => held.promise, CompensationHandler);

    // All three delivered and held: pending on two type streams, one row for the group on the checkout stream.
    await eventually(async () =>
      expect(await eventStreamGroupStats(scope.redis, scope.config.REDIS_KEY_PREFIX, STREAMS.checkout)).toEqual([
        expect.objectContaining({ name: 'stock-compensation', pending: 3, lag: 0 }),
      ]),
    );
    held.open();
    await eventually(async () =>
      expect(await eventStreamGroupStats(scope.redis, scope.config.REDIS_KEY_PREFIX, STREAMS.checkout)).toEqual([
        expect.objectContaining({ name: 'stock-compensation', pending: 0, lag: 0 }),
      ]),
    );
  });
});
