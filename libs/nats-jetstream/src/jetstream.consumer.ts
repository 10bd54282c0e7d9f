import { describeError, verdictOnFailure } from '@app/bus-delivery';
import { type AnyEvent, EVENT_TYPES, STREAM_OF } from '@app/contracts';
import { KeyedQueue, type PeriodicTask, StopSignal, initConsumerSeries, isEnvelope, settlesWithin, startPeriodic, streamMetrics } from '@app/redis-streams';
import {
  AckPolicy,
  type Consumer,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';
import { writeDeadLetter } from './jetstream.dead-letters.js';
import { JetStreamNames, entryIdOf } from './jetstream.names.js';
import type { ResolvedJetStreamOptions } from './jetstream.options.js';
import { connectNats, ensureStreams } from './jetstream.setup.js';

/** One delivery as the handler's context describes it. */
export interface JetStreamDelivery {
  /** The stream, as `STREAMS` names it. */
  topic: string;
  /** `<ms>-<seq>` ({@link entryIdOf}). */
  id: string;
  /** 1 on the first delivery. */
  attempt: number;
}

/** What the consumer needs from the Nest server around it. */
export interface JetStreamHooks {
  handles(type: string): boolean;
  handle(envelope: AnyEvent, delivery: JetStreamDelivery): Promise<void>;
}

/** One durable consumer this instance pulls from: a stream, filtered to one type or taking them all. */
export interface Subscription {
  stream: string;
  durable: string;
  filter: string;
}

const decoder = new TextDecoder();

/**
 * The durable consumers of one group and the messages pulled from them: a message is acknowledged
 * once its handler succeeded, negatively acknowledged with the policy's delay to be delivered again,
 * or published to the dead-letter stream and terminated. A message held by an instance that stopped
 * reporting progress (`working()` every third of `claimIdleMs`) is delivered again by JetStream
 * after `claimIdleMs`, to any instance of the group.
 */
export class JetStreamConsumer {
  private connection: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private readonly names: JetStreamNames;
  private readonly queue: KeyedQueue;
  private readonly inFlight = new Set<JsMsg>();
  private readonly pulls = new Set<ConsumerMessages>();
  private readonly stopSignal = new StopSignal();
  private readonly metrics = streamMetrics();
  /** Messages asked for by pulls under way and not yet received. */
  private requested = 0;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private heartbeat: PeriodicTask | undefined;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedJetStreamOptions & { streams: readonly string[] },
    private readonly hooks: JetStreamHooks & { everyTypeOf(stream: string): boolean; typesOf(stream: string): string[] },
  ) {
    this.names = new JetStreamNames(options.prefix);
    this.queue = new KeyedQueue((error) => options.logger.error({ err: error }, 'Unexpected failure while settling a message'));
    initConsumerSeries(this.metrics, options.streams, options.group);
  }

  /** The durable consumers of the group: one per stream when it takes every type of it, else one per type. */
  subscriptions(): Subscription[] {
    const { group } = this.options;
    return this.options.streams.flatMap((stream) =>
      this.hooks.everyTypeOf(stream)
        ? [{ stream, durable: this.names.consumerName(group), filter: this.names.wildcardOf(stream) }]
        : this.hooks.typesOf(stream).map((type) => ({ stream, durable: this.names.consumerName(group, type), filter: this.names.subjectOf(stream, type) })),
    );
  }

  /** Connects, creates the streams and the durable consumers, then starts pulling. */
  async start(): Promise<NatsConnection> {
    const { url, group, consumer, claimIdleMs } = this.options;
    const connection = await connectNats(url, `${group}:${consumer}`);
    try {
      const jsm = await jetstreamManager(connection);
      await ensureStreams(jsm, this.names, this.options);
      this.js = jetstream(connection);
      const subscriptions = this.subscriptions();
      const consumers: Consumer[] = [];
      for (const subscription of subscriptions) {
        await this.ensureConsumer(jsm, subscription);
        consumers.push(await this.js.consumers.get(this.names.streamName(subscription.stream), subscription.durable));
      }
      this.connection = connection;
      this.loops = consumers.map((pullFrom, i) => this.pullLoop(pullFrom, subscriptions[i]!, subscriptions.length));
    } catch (error) {
      await connection.close();
      throw error;
    }
    this.heartbeat = startPeriodic(
      Math.max(10, Math.floor(claimIdleMs / 3)),
      () => {
        for (const message of this.inFlight) message.working();
        return Promise.resolve();
      },
      () => undefined,
    );
    return connection;
  }

  /**
   * Stops pulling, waits for the messages under way up to the drain deadline, then drains the
   * connection (its last acknowledgements included). Messages still unsettled at the deadline are
   * delivered again by JetStream to another instance after `claimIdleMs`.
   */
  stop(): Promise<void> {
    this.stopped ??= this.drainAndClose();
    return this.stopped;
  }

  private async drainAndClose(): Promise<void> {
    this.stopping = true;
    this.stopSignal.stop();
    for (const pull of this.pulls) pull.stop();
    await Promise.all(this.loops);
    if (!(await settlesWithin(this.queue.idle(), this.options.drainMs))) {
      this.options.logger.warn({ unsettled: this.queue.size }, 'Drain deadline passed: unsettled messages will be delivered again');
    }
    await this.heartbeat?.stop();
    const connection = this.connection;
    if (connection !== undefined && !connection.isClosed()) await connection.drain().catch(() => connection.close());
  }

  private async ensureConsumer(jsm: JetStreamManager, { stream, durable, filter }: Subscription): Promise<void> {
    const { claimIdleMs, maxInFlight } = this.options;
    const settings: Partial<ConsumerConfig> = {
      ack_wait: nanos(claimIdleMs),
      // Counts the messages waiting for a delayed redelivery too: room for several instances and their retries.
      max_ack_pending: Math.max(1_000, maxInFlight * 16),
    };
    try {
      await jsm.consumers.add(this.names.streamName(stream), {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        // A group created after events were published still handles what the stream retains, as on Redis.
        deliver_policy: DeliverPolicy.All,
        filter_subject: filter,
        // The delivery policy decides when a message is given up on, not the server.
        max_deliver: -1,
        ...settings,
      });
    } catch (error) {
      if (!(error instanceof Error && /already (exists|in use)/i.test(error.message))) throw error;
      await jsm.consumers.update(this.names.streamName(stream), durable, settings);
    }
  }

  private room(): number {
    return this.stopping ? 0 : this.options.maxInFlight - this.queue.size - this.requested;
  }

  /** Pulls from one durable consumer while there is room, its share of the in-flight bound at most per pull. */
  private async pullLoop(pullFrom: Consumer, subscription: Subscription, shares: number): Promise<void> {
    const { batchSize, maxInFlight, blockMs, logger } = this.options;
    let failures = 0;
    while (!this.stopping) {
      const count = Math.min(batchSize, Math.ceil(maxInFlight / shares), this.room());
      if (count <= 0) {
        // Wait for a message to settle, or, with none in flight, for another consumer's pull to return.
        await (this.queue.size > 0 ? this.stopSignal.until(this.queue.below(this.queue.size)) : this.stopSignal.sleep(50));
        continue;
      }
      this.requested += count;
      let received = 0;
      try {
        const pull = await pullFrom.fetch({ max_messages: count, expires: Math.max(1_000, blockMs) });
        this.pulls.add(pull);
        try {
          for await (const message of pull) {
            received += 1;
            this.requested -= 1;
            this.accept(message, subscription);
          }
        } finally {
          this.pulls.delete(pull);
        }
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        logger.warn({ err: error, failures, consumer: subscription.durable }, 'Pulling from JetStream failed; retrying');
        await this.stopSignal.sleep(Math.min(2_000, 25 * 2 ** failures));
      } finally {
        this.requested -= count - received;
      }
    }
  }

  private accept(message: JsMsg, { stream }: Subscription): void {
    const type = this.names.typeOfSubject(stream, message.subject);
    if (!this.hooks.handles(type)) {
      message.ack();
      return;
    }
    this.inFlight.add(message);
    const envelope = parseEnvelope(message.data);
    const key = typeof envelope === 'string' || this.options.ordering === 'none' ? null : envelope.correlationId;
    void this.queue.add(key, () => this.settle(message, stream, type, envelope).finally(() => this.inFlight.delete(message)));
  }

  private async settle(message: JsMsg, stream: string, type: string, envelope: AnyEvent | string): Promise<void> {
    const { group, logger } = this.options;
    const delivery: JetStreamDelivery = { topic: stream, id: entryIdOf(message.info.timestampNanos, message.seq), attempt: message.info.deliveryCount };
    if (typeof envelope === 'string') return this.deadLetter(message, delivery, envelope);
    if (envelope.type !== type) return this.deadLetter(message, delivery, `its subject says "${type}", its envelope "${envelope.type}"`);
    if (delivery.attempt === 1) this.metrics.latency.observe({ topic: stream, type }, Math.max(0, Date.now() - Date.parse(envelope.occurredAt)) / 1000);
    try {
      await this.hooks.handle(envelope, delivery);
    } catch (error) {
      const verdict = verdictOnFailure(error, delivery.attempt, this.options);
      if (verdict.kind === 'retry') {
        logger.warn({ err: error, stream, id: delivery.id, attempt: delivery.attempt, eventId: envelope.eventId }, 'Handler failed; delivering again later');
        this.metrics.redeliveries.inc({ topic: stream, consumer: group });
        message.nak(verdict.afterMs);
        return;
      }
      return this.deadLetter(message, delivery, describeError(error), verdict.why);
    }
    message.ack();
    this.metrics.consumed.inc({ topic: stream, type, consumer: group });
  }

  private async deadLetter(message: JsMsg, delivery: JetStreamDelivery, error: string, why = 'poison'): Promise<void> {
    const { group, consumer, logger, retryDelayMs } = this.options;
    try {
      await writeDeadLetter(this.js!, this.names, {
        stream: delivery.topic,
        subject: message.subject,
        id: delivery.id,
        group,
        consumer,
        attempts: delivery.attempt,
        error,
        data: message.data,
      });
    } catch (failure) {
      logger.warn({ err: failure, stream: delivery.topic, id: delivery.id }, 'Dead-lettering failed; the message will be delivered again');
      message.nak(retryDelayMs);
      return;
    }
    message.term();
    this.metrics.deadLetters.inc({ topic: delivery.topic, consumer: group });
    logger.error({ stream: delivery.topic, id: delivery.id, attempts: delivery.attempt, why, error }, 'Message dead-lettered');
  }
}

/** The message's envelope, or why it has none (a poison message). */
function parseEnvelope(data: Uint8Array): AnyEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (error) {
    return `unparsable message: ${(error as Error).message}`;
  }
  return isEnvelope(value) ? value : 'unparsable message: not an event envelope';
}

/** The event types of a stream, as the contracts list them. */
export function eventTypesOf(stream: string): string[] {
  return EVENT_TYPES.filter((type) => STREAM_OF[type] === stream);
}
