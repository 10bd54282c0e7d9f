import { RetriableError } from '@app/bus-delivery';
import { ConfigModule } from '@app/config';
import { type EventEnvelope, STREAMS, createEnvelope } from '@app/contracts';
import { testConfig } from '@app/testing';
import { Test } from '@nestjs/testing';
import { register } from 'prom-client';
import { StreamsTestScope, orderCreatedPayload } from '../test/streams.test-kit.js';
import { Redis } from 'ioredis';
import { EventPublisher } from './event.publisher.js';
import { OnEvent } from './on-event.decorator.js';
import { RedisStreamsModule } from './redis-streams.module.js';

async function publishedCount(type: string): Promise<number> {
  const metric = await register.getSingleMetric('events_published_total')?.get();
  return metric?.values.find((v) => v.labels['type'] === type && v.labels['topic'] === STREAMS.checkout)?.value ?? 0;
}

describe('EventPublisher', () => {
  let scope: StreamsTestScope;

  beforeEach(() => {
    scope = new StreamsTestScope(testConfig());
  });

  afterEach(async () => {
    await scope.dispose();
  });

  it('appends the envelope as one JSON field `event`, then its `type`, to the prefixed stream of its type', async () => {
    const before = await publishedCount('StockReserved');
    const envelope = await scope.publisher.publish(
      'StockReserved',
      { checkoutId: 'chk-1', clientId: 'cl-1', items: [{ sku: 'A-1', quantity: 1, unitPriceCents: 500 }], totalCents: 500, paymentToken: 'tok_visa' },
      { correlationId: 'chk-1', causationId: 'evt-0', eventId: 'evt-1' },
    );

    expect(envelope).toMatchObject({
      eventId: 'evt-1',
      type: 'StockReserved',
      correlationId: 'chk-1',
      causationId: 'evt-0',
      producer: 'test',
      schemaVersion: 1,
    });
    const entry = ['event', JSON.stringify(envelope), 'type', 'StockReserved'];
    const [onStream, onTypeStream] = await Promise.all([
      scope.redis.xrange(scope.eventStream, '-', '+'),
      scope.redis.xrange(`${scope.config.REDIS_KEY_PREFIX}${STREAMS.checkout}.StockReserved`, '-', '+'),
    ]);
    // On the checkout stream for the readers of every event, and on its type stream for its workers.
    expect([onStream.map(([, fields]) => fields), onTypeStream.map(([, fields]) => fields)]).toEqual([[entry], [entry]]);
    expect(await publishedCount('StockReserved')).toBe(before + 1);
  });

  it('appends an event of a type without a type stream to its stream only', async () => {
    const envelope = await scope.publisher.publish('OrderConfirmed', { checkoutId: 'chk-c', clientId: 'cl-c', orderId: 'order-c' }, { correlationId: 'chk-c' });

    expect((await scope.redis.xrange(scope.eventStream, '-', '+')).map(([, fields]) => fields)).toEqual([['event', JSON.stringify(envelope), 'type', 'OrderConfirmed']]);
    expect(await scope.redis.keys(`${scope.eventStream}.*`)).toEqual([]);
  });

  it('publishes several envelopes to several streams in one transaction', async () => {
    const checkout = createEnvelope('OrderCreated', orderCreatedPayload('chk-2'), { correlationId: 'chk-2', producer: 'test' });
    const cart = createEnvelope('CartCreated', { cartId: 'cart-1', clientId: 'cl-1' }, { correlationId: 'cart-1', producer: 'test' });

    const ids = await scope.publisher.publishMany([checkout, cart]);

    expect(ids).toHaveLength(2);
    const [checkoutEntries, orderCreatedEntries, cartEntries] = await Promise.all([
      scope.redis.xrange(scope.eventStream, '-', '+'),
      scope.redis.xrange(scope.stream, '-', '+'),
      scope.redis.xrange(`${scope.config.REDIS_KEY_PREFIX}${STREAMS.carts}`, '-', '+'),
    ]);
    // The ids are those on each event's stream; the type stream copy has one of its own.
    expect(checkoutEntries).toEqual([[ids[0], ['event', JSON.stringify(checkout), 'type', 'OrderCreated']]]);
    expect(orderCreatedEntries.map(([, fields]) => fields)).toEqual([['event', JSON.stringify(checkout), 'type', 'OrderCreated']]);
    expect(cartEntries).toEqual([[ids[1], ['event', JSON.stringify(cart), 'type', 'CartCreated']]]);
  });

  it('fails with a RetriableError when the bus is away, so the event a handler was publishing for is delivered again', async () => {
    const away = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    const publisher = new EventPublisher({ redis: away, producer: 'test' });
    const envelope = createEnvelope('OrderCreated', orderCreatedPayload('chk-away'), { correlationId: 'chk-away', producer: 'test' });

    const error: unknown = await publisher.publishEnvelope(envelope).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetriableError);
    expect(String((error as Error).message)).toMatch(/^Publishing 1 event\(s\) failed: /);
    away.disconnect();
  });

  it('is provided by RedisStreamsModule from APP_CONFIG and closes its connection on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(scope.config), RedisStreamsModule.forRoot({ producer: 'orders' })],
    }).compile();
    await moduleRef.init();
    const publisher = moduleRef.get(EventPublisher);

    const envelope = await publisher.publish('OrderCreated', orderCreatedPayload('chk-3'), { correlationId: 'chk-3' });
    expect(envelope.producer).toBe('orders');
    expect(await scope.redis.xlen(scope.stream)).toBe(1);

    await moduleRef.close();
    expect(publisher.redis.status).toBe('end');
  });
});

/** Compile-time checks (tsc fails on an unused @ts-expect-error): never called. */
export function typeChecks(publisher: EventPublisher): void {
  // @ts-expect-error the payload of StockReserved has no orderId and needs items, totalCents, paymentToken
  void publisher.publish('StockReserved', { checkoutId: 'c', clientId: 'x', orderId: 'o' }, { correlationId: 'c' });
  // @ts-expect-error not an event type
  void publisher.publish('StockReservedd', {}, { correlationId: 'c' });
  // @ts-expect-error a correlationId is required
  void publisher.publish('OrderConfirmed', { checkoutId: 'c', clientId: 'x', orderId: 'o' }, {});
  const confirmed = createEnvelope('OrderConfirmed', { checkoutId: 'c', clientId: 'x', orderId: 'o' }, { correlationId: 'c', producer: 'p' });
  // @ts-expect-error an envelope whose type does not match its payload is not an AnyEvent
  void publisher.publishMany([{ ...confirmed, type: 'PaymentFailed' as const }]);
  void publisher.publishMany([confirmed]);

  class Handlers {
    @OnEvent('OrderConfirmed')
    confirmed(_event: EventEnvelope<'OrderConfirmed'>): void {}

    // @ts-expect-error the envelope parameter does not match the event type
    @OnEvent('OrderConfirmed')
    mismatched(_event: EventEnvelope<'PaymentFailed'>): void {}

    // @ts-expect-error not an event type
    @OnEvent('OrderConfirmd')
    misspelled(): void {}
  }
  void Handlers;
}
