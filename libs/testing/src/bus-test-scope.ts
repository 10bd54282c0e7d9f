import type { AppConfig } from '@app/config';
import { type AnyEvent, type EventEnvelope, type EventType, STREAMS, STREAM_OF, appendStreamsOf } from '@app/contracts';
import { JetStreamNames, connectNats } from '@app/nats-jetstream';
import { createLogger } from '@app/observability';
import { OnEvent, RedisStreamsContext } from '@app/redis-streams';
import { jetstream } from '@nats-io/jetstream';
import { Controller, Inject, type INestMicroservice } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { deleteStreamsWithPrefix } from './jetstream-streams.js';
import { deleteKeysWithPrefix } from './redis-keys.js';
import { type BusAdmin, type BusServerOptions, type EventBus, busServerFromConfig, createBusAdmin, createEventBus } from '@app/bus';

export const BEHAVIOR = Symbol('BEHAVIOR');
export type Behavior = (event: EventEnvelope<'OrderCreated'>, context: RedisStreamsContext) => Promise<unknown> | void;

@Controller()
export class OrderCreatedHandler {
  constructor(@Inject(BEHAVIOR) private readonly behavior: Behavior) {}

  @OnEvent('OrderCreated')
  handle(@Payload() event: EventEnvelope<'OrderCreated'>, @Ctx() context: RedisStreamsContext): Promise<unknown> | void {
    return this.behavior(event, context);
  }
}

/** Fast settings: a crashed consumer's message is taken over within a second, three deliveries at most. */
const TEST_DEFAULTS: Partial<BusServerOptions> = {
  blockMs: 1_000,
  claimIdleMs: 1_000,
  claimIntervalMs: 100,
  maxAttempts: 3,
  retryDelayMs: 100,
  maxRetryDelayMs: 200,
  drainMs: 2_000,
  trim: false,
};

/**
 * One test's bus, either of them (`BUS` in its configuration): its own prefixes, a publisher, the
 * admin view operators use, and small workers whose `OrderCreated` handler does what the test says.
 */
export class BusTestScope {
  private readonly workers: INestMicroservice[] = [];

  private constructor(
    readonly config: AppConfig,
    readonly publisher: EventBus,
    readonly admin: BusAdmin,
  ) {}

  static async open(config: AppConfig): Promise<BusTestScope> {
    return new BusTestScope(config, await createEventBus(config, 'test'), await createBusAdmin(config));
  }

  /** Starts a Nest microservice on the bus whose `OrderCreated` handler runs `behavior`. */
  async worker(options: Partial<BusServerOptions> & { group: string }, behavior: Behavior): Promise<INestMicroservice> {
    const strategy = busServerFromConfig(this.config, { ...TEST_DEFAULTS, logger: createLogger('bus-test', this.config.LOG_LEVEL), ...options });
    const moduleRef = await Test.createTestingModule({ controllers: [OrderCreatedHandler], providers: [{ provide: BEHAVIOR, useValue: behavior }] }).compile();
    const app = moduleRef.createNestMicroservice({ strategy, logger: false });
    await app.listen();
    this.workers.push(app);
    return app;
  }

  orderCreated(checkoutId: string, seq = 0): Promise<EventEnvelope<'OrderCreated'>> {
    return this.publisher.publish(
      'OrderCreated',
      { checkoutId, clientId: `client-${checkoutId}`, orderId: `order-${checkoutId}`, totalCents: seq, paymentToken: 'tok_visa' },
      { correlationId: checkoutId },
    );
  }

  /** Puts a message that is no event envelope on the checkout stream, as a foreign producer might. */
  poison(): Promise<void> {
    return publishRaw(this.config, STREAMS.checkout, 'OrderCreated', '{not json');
  }

  /** Messages the group holds and has not acknowledged. */
  async pending(group: string): Promise<number> {
    const { groups } = await this.admin.summary(STREAMS.checkout);
    return groups.find((g) => g.name === group)?.pending ?? 0;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close().catch(() => undefined)));
    await this.publisher.close();
    await this.admin.close();
    await deleteStreamsWithPrefix(this.config.NATS_URL, this.config.NATS_PREFIX);
    const redis = new Redis(this.config.REDIS_URL);
    await deleteKeysWithPrefix(redis, this.config.REDIS_KEY_PREFIX);
    redis.disconnect();
  }
}

/**
 * Appends `data` to `stream` as an entry of `type` (on Redis, to its type stream too, as a publisher
 * would), as it is: no envelope check, and on JetStream no message id, so a second copy of an event
 * is stored as a second message.
 */
export async function publishRaw(config: AppConfig, stream: string, type: string, data: string): Promise<void> {
  if (config.BUS === 'nats') {
    const connection = await connectNats(config.NATS_URL, 'test:raw-publisher');
    try {
      await jetstream(connection).publish(new JetStreamNames(config.NATS_PREFIX).subjectOf(stream, type), data);
    } finally {
      await connection.close();
    }
    return;
  }
  const redis = new Redis(config.REDIS_URL);
  try {
    // Where a publisher appends an event of `type` on its stream: there, and to its type stream.
    const streams = Object.hasOwn(STREAM_OF, type) && STREAM_OF[type as EventType] === stream ? appendStreamsOf(type as EventType) : [stream];
    const multi = redis.multi();
    for (const key of streams) multi.xadd(`${config.REDIS_KEY_PREFIX}${key}`, '*', 'event', data, 'type', type);
    await multi.exec();
  } finally {
    redis.disconnect();
  }
}

/** Appends an event again exactly as it was: the same envelope, a second entry, as a redelivery would bring it. */
export function publishAgain(config: AppConfig, event: AnyEvent): Promise<void> {
  return publishRaw(config, STREAM_OF[event.type], event.type, JSON.stringify(event));
}

/** A promise with its resolver, to hold a handler until the test releases it. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
