import { describeError, verdictOnFailure } from '@app/bus-delivery';
import { type AnyEvent, deadLetterStreamFor, payloadProblems } from '@app/contracts';
import { withCorrelation } from '@app/observability';
import type { Redis } from 'ioredis';
import type { AckBatcher } from './ack.batcher.js';
import { type DeadLetter, writeDeadLetter } from './dead-letter.writer.js';
import type { StreamMetrics } from './redis-streams.metrics.js';
import type { ResolvedServerOptions } from './redis-streams.options.js';
import type { DecodedEntry } from './stream-entry.codec.js';
import type { Delivery } from './stream.delivery.js';

export interface SettlerDependencies {
  options: ResolvedServerOptions;
  commands: Redis;
  acks: AckBatcher;
  metrics: StreamMetrics;
  /** Runs the app's handler; resolves once it succeeded. */
  handle(envelope: AnyEvent, delivery: Delivery): Promise<void>;
}

/** How a delivery ended: settled for good (acknowledged or dead-lettered), or to be delivered again after a delay. */
export type Settlement = { kind: 'settled' } | { kind: 'retry'; afterMs: number };

const SETTLED: Settlement = { kind: 'settled' };

/**
 * Settles one delivery: acknowledged once the handler succeeded, left pending for a retry, or
 * dead-lettered (poison, or a failure the delivery policy gives up on).
 */
export class EntrySettler {
  /** Set when the drain deadline passed: entries not started yet are left pending for another consumer. */
  abandoned = false;

  constructor(private readonly deps: SettlerDependencies) {}

  async settle(delivery: Delivery, decoded: DecodedEntry): Promise<Settlement> {
    if (this.abandoned) return SETTLED;
    switch (decoded.kind) {
      case 'poison':
        return this.deadLetter(delivery, decoded.reason);
      case 'deleted':
        return SETTLED;
      case 'event':
        return withCorrelation(decoded.envelope.correlationId, () => this.handle(delivery, decoded.envelope));
    }
  }

  private async handle(delivery: Delivery, envelope: AnyEvent): Promise<Settlement> {
    const { options, metrics } = this.deps;
    if (delivery.attempt > 1) metrics.redeliveries.inc({ topic: delivery.topic, consumer: options.group });
    // No retry makes a malformed event usable: it is poison, for this group as for any other that handles it.
    const problems = payloadProblems(envelope.type, envelope.payload);
    if (problems.length > 0) return this.deadLetter(delivery, `poison event: ${problems.join('; ')}`);
    if (delivery.attempt > options.maxAttempts) {
      return this.deadLetter(delivery, `no outcome after ${delivery.attempt - 1} deliveries: the handler crashed or hung its consumer`);
    }
    const latencySeconds = (Date.now() - Date.parse(envelope.occurredAt)) / 1_000;
    try {
      await this.deps.handle(envelope, delivery);
    } catch (error) {
      return this.failed(delivery, envelope, error);
    }
    metrics.consumed.inc({ topic: delivery.topic, type: envelope.type, consumer: options.group });
    // At debug, one line per handled event (with its correlation id) traces a checkout across workers.
    options.logger.debug({ eventId: envelope.eventId, type: envelope.type, topic: delivery.topic, attempt: delivery.attempt }, 'Event handled');
    if (Number.isFinite(latencySeconds)) metrics.latency.observe({ topic: delivery.topic, type: envelope.type }, Math.max(0, latencySeconds));
    await this.deps.acks.ack(delivery.stream, delivery.id);
    return SETTLED;
  }

  private async failed(delivery: Delivery, envelope: AnyEvent, error: unknown): Promise<Settlement> {
    const { options } = this.deps;
    const { maxAttempts, logger } = options;
    const verdict = verdictOnFailure(error, delivery.attempt, options);
    if (verdict.kind === 'dead-letter') return this.deadLetter(delivery, describeError(error));
    const details = {
      err: error,
      eventId: envelope.eventId,
      type: envelope.type,
      topic: delivery.topic,
      entryId: delivery.id,
      attempt: delivery.attempt,
      maxAttempts,
    };
    logger.warn(details, `Handler failed: the entry stays pending and is delivered again in ${verdict.afterMs} ms`);
    return verdict;
  }

  private async deadLetter(delivery: Delivery, error: string): Promise<Settlement> {
    const { options, commands, metrics } = this.deps;
    const { group, consumer, logger, keyPrefix } = options;
    const letter: DeadLetter = {
      stream: delivery.stream,
      deadLetterStream: `${keyPrefix}${deadLetterStreamFor(delivery.topic)}`,
      id: delivery.id,
      group,
      consumer,
      attempts: delivery.attempt,
      error,
      fields: delivery.fields ?? [],
    };
    try {
      await writeDeadLetter(commands, letter);
    } catch (failure) {
      logger.error({ err: failure, topic: delivery.topic, entryId: delivery.id }, 'Dead-lettering failed: the entry stays pending and will be tried again');
      return SETTLED;
    }
    metrics.deadLetters.inc({ topic: delivery.topic, consumer: group });
    logger.error({ topic: delivery.topic, entryId: delivery.id, attempts: delivery.attempt, error }, 'Entry moved to the dead-letter stream');
    return SETTLED;
  }
}
