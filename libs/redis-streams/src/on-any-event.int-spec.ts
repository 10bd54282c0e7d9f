import type { RedisStreamsContext } from '@app/bus-delivery';
import { type AnyEvent, EVENT_TYPES, STREAMS, createEnvelope } from '@app/contracts';
import { eventually, testConfig } from '@app/testing';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { BEHAVIOR, StreamsTestScope } from '../test/streams.test-kit.js';
import { OnAnyEvent } from './on-event.decorator.js';

@Controller()
class EveryEventHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: (event: AnyEvent, context: RedisStreamsContext) => unknown) {}

  @OnAnyEvent()
  handle(@Payload() event: AnyEvent, @Ctx() context: RedisStreamsContext): unknown {
    return this.behavior(event, context);
  }
}

describe('redis-streams @OnAnyEvent', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('reads every stream and hands every event type to one handler, with the stream it came from', async () => {
    const received: { type: string; topic: string }[] = [];
    const record = (event: AnyEvent, context: RedisStreamsContext) => void received.push({ type: event.type, topic: context.getTopic() });
    const { server } = await scope.worker({ group: 'audit' }, record, EveryEventHandler);
    expect(EVENT_TYPES.filter((type) => server.getHandlerByPattern(type) === null)).toEqual([]);

    const ref = { checkoutId: 'chk-any', clientId: 'ann' };
    const ctx = { correlationId: 'chk-any', producer: 'test' };
    await scope.publisher.publishMany([
      createEnvelope('CheckoutInitiated', { ...ref, items: [{ sku: 'A', quantity: 1 }], paymentToken: 'tok_visa' }, ctx),
      createEnvelope(
        'SagaTransitioned',
        { sagaId: 's1', ...ref, from: 'EN_ATTENTE', to: 'VERIFICATION_STOCK', terminal: false },
        { ...ctx, correlationId: 's1' },
      ),
      createEnvelope('CartCreated', { cartId: 'k1', clientId: 'ann' }, { ...ctx, correlationId: 'k1' }),
    ]);

    await eventually(() =>
      expect(received.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
        { type: 'CartCreated', topic: STREAMS.carts },
        { type: 'CheckoutInitiated', topic: STREAMS.checkout },
        { type: 'SagaTransitioned', topic: STREAMS.saga },
      ]),
    );
    const groups = await Promise.all(Object.values(STREAMS).map((stream) => scope.redis.xinfo('GROUPS', `${scope.config.REDIS_KEY_PREFIX}${stream}`)));
    expect(groups.every((g) => (g as unknown[]).length === 1)).toBe(true);
  });

  it('dead-letters an event of a type nobody knows, which a handler of every event must not silently skip', async () => {
    const received: string[] = [];
    await scope.worker({ group: 'audit' }, (event: AnyEvent) => void received.push(event.eventId), EveryEventHandler);
    const known = await scope.orderCreated('chk-unknown');
    const unknown = { ...known, eventId: 'e-unknown', type: 'CheckoutTeleported' };
    const entry = await scope.redis.xadd(scope.eventStream, '*', 'event', JSON.stringify(unknown));

    const [letter] = await eventually(async () => {
      const found = await scope.deadLetters();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(letter).toMatchObject({ originalId: entry, group: 'audit', error: 'poison event: unknown event type "CheckoutTeleported"' });
    expect(received).toEqual([known.eventId]);
  });
});
