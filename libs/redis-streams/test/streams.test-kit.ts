import { RedisStreamsContext } from '@app/bus-delivery';
import type { AppConfig } from '@app/config';
import { type EventEnvelope, STREAMS, createEnvelope, typeStreamOf } from '@app/contracts';
import { createLogger } from '@app/observability';
import { Controller, Inject, type INestMicroservice, type Type } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import type { Observable } from 'rxjs';
import { EventPublisher } from '../src/event.publisher.js';
import { OnEvent } from '../src/on-event.decorator.js';
import { type RedisStreamsServerOptions, serverOptionsFromConfig } from '../src/redis-streams.options.js';
import { RedisStreamsServer } from '../src/redis-streams.server.js';
import { flatToRecord } from '../src/stream-group.stats.js';

/** Test-only helpers of the redis-streams integration tests: small Nest workers over one key prefix. */

export const BEHAVIOR = Symbol('BEHAVIOR');
export type Behavior = (event: EventEnvelope<'OrderCreated'>, context: RedisStreamsContext) => Promise<unknown> | Observable<unknown> | void;

@Controller()
export class OrderCreatedHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: Behavior) {}

  @OnEvent('OrderCreated')
  handle(@Payload() event: EventEnvelope<'OrderCreated'>, @Ctx() context: RedisStreamsContext): Promise<unknown> | Observable<unknown> | void {
    return this.behavior(event, context);
  }
}

/** The same handler declared with Nest's bare decorator, as apps may still write it. */
@Controller()
export class PlainOrderCreatedHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: Behavior) {}

  // Nest 12 types the parameters after the payload of a bare @EventPattern as `unknown`.
  @EventPattern('OrderCreated')
  handle(@Payload() event: EventEnvelope<'OrderCreated'>, @Ctx() context: unknown): Promise<unknown> | Observable<unknown> | void {
    return this.behavior(event, context as RedisStreamsContext);
  }
}

export interface TestWorker {
  app: INestMicroservice;
  server: RedisStreamsServer;
}

/** Fast settings for tests: short claim idle and intervals, no trimming unless asked. */
const TEST_DEFAULTS: Partial<RedisStreamsServerOptions> = {
  blockMs: 1_000,
  claimIdleMs: 300,
  claimIntervalMs: 50,
  maxAttempts: 3,
  drainMs: 2_000,
  trim: false,
};

/** One test's streams: its own key prefix, an admin connection for assertions, a publisher, its workers. */
export class StreamsTestScope {
  readonly redis: Redis;
  readonly publisher: EventPublisher;
  /** The key of the stream the workers read: `OrderCreated`'s type stream (`<checkout stream>.OrderCreated`). */
  readonly stream: string;
  /** The checkout stream's key: every event of the checkout, for the readers of every event. */
  readonly eventStream: string;
  private readonly workers: TestWorker[] = [];

  constructor(readonly config: AppConfig) {
    this.redis = new Redis(config.REDIS_URL);
    this.publisher = new EventPublisher({ redis: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, producer: 'test', logger: this.logger() });
    this.stream = `${config.REDIS_KEY_PREFIX}${typeStreamOf('OrderCreated')}`;
    this.eventStream = `${config.REDIS_KEY_PREFIX}${STREAMS.checkout}`;
  }

  logger(): ReturnType<typeof createLogger> {
    return createLogger('redis-streams-test', this.config.LOG_LEVEL);
  }

  /** Starts a Nest microservice whose `OrderCreated` handler runs `behavior`. */
  async worker(options: Partial<RedisStreamsServerOptions> & { group: string }, behavior: Behavior, handler: Type = OrderCreatedHandler): Promise<TestWorker> {
    const server = new RedisStreamsServer({ ...serverOptionsFromConfig(this.config, { ...TEST_DEFAULTS, ...options }), logger: this.logger() });
    const moduleRef = await Test.createTestingModule({ controllers: [handler], providers: [{ provide: BEHAVIOR, useValue: behavior }] }).compile();
    const app = moduleRef.createNestMicroservice({ strategy: server, logger: false });
    await app.listen();
    const worker = { app, server };
    this.workers.push(worker);
    return worker;
  }

  /** Publishes `OrderCreated` for `checkoutId`; `seq` goes into totalCents so order can be checked. */
  orderCreated(checkoutId: string, seq = 0): Promise<EventEnvelope<'OrderCreated'>> {
    return this.publisher.publish('OrderCreated', orderCreatedPayload(checkoutId, seq), { correlationId: checkoutId });
  }

  /** The ids of the entries on the workers' stream, oldest first (the publisher answers with those of the checkout stream). */
  async entryIds(): Promise<string[]> {
    return (await this.redis.xrange(this.stream, '-', '+')).map(([id]) => id);
  }

  async pending(group: string): Promise<number> {
    const [count] = (await this.redis.xpending(this.stream, group)) as [number];
    return Number(count);
  }

  /** The entries of the checkout stream's dead-letter stream (where type stream readers put theirs too), as field records. */
  async deadLetters(): Promise<Record<string, string>[]> {
    const entries = await this.redis.xrange(`${this.eventStream}.dlq`, '-', '+');
    return entries.map(([, fields]) => flatToRecord(fields) as Record<string, string>);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.app.close().catch(() => undefined)));
    await this.publisher.close();
    const keys = await this.redis.keys(`${this.config.REDIS_KEY_PREFIX}*`);
    if (keys.length > 0) await this.redis.del(...keys);
    await this.redis.quit();
  }
}

export function orderCreatedPayload(checkoutId: string, seq = 0): EventEnvelope<'OrderCreated'>['payload'] {
  return { checkoutId, clientId: `client-${checkoutId}`, orderId: `order-${checkoutId}`, totalCents: seq, paymentToken: 'tok_visa' };
}

/** An `OrderCreated` envelope of `checkoutId`, correlated by it, not yet published. */
export function orderCreatedEvent(checkoutId: string): EventEnvelope<'OrderCreated'> {
  return createEnvelope('OrderCreated', orderCreatedPayload(checkoutId), { correlationId: checkoutId, producer: 'test' });
}

/** A promise with its resolver, to hold a handler until the test releases it. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
