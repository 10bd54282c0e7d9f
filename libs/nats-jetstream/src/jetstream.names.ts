import { STREAMS } from '@app/contracts';

/**
 * How the bus's streams map onto JetStream, derived from `STREAMS` so that a stream added there
 * exists on NATS too: the stream `ecommerce.checkout.events` is the JetStream stream
 * `<prefix>ecommerce_checkout_events` over the subjects `<prefix>ecommerce.checkout.events.<Type>`,
 * one subject per event type, so a consumer filters on the types it handles. Its dead letters go to
 * `<prefix>ecommerce_checkout_events_dlq` on `<prefix>dlq.ecommerce.checkout.events`, a subject
 * outside the stream's own wildcard.
 */
export class JetStreamNames {
  constructor(readonly prefix: string) {}

  /** Every stream of the bus, as `STREAMS` names them. */
  get streams(): string[] {
    return Object.values(STREAMS);
  }

  streamName(stream: string): string {
    return `${this.prefix}${stream}`.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  subjectOf(stream: string, type: string): string {
    return `${this.prefix}${stream}.${type}`;
  }

  /** Every subject of the stream. */
  wildcardOf(stream: string): string {
    return `${this.prefix}${stream}.>`;
  }

  /** The event type a subject of `stream` carries (the part after the stream's own subject). */
  typeOfSubject(stream: string, subject: string): string {
    return subject.slice(`${this.prefix}${stream}.`.length);
  }

  deadLetterStreamName(stream: string): string {
    return `${this.streamName(stream)}_dlq`;
  }

  deadLetterSubject(stream: string): string {
    return `${this.prefix}dlq.${stream}`;
  }

  /** The durable consumer of `group` on `stream`, or of its subject for `type` when the group takes only some types. */
  consumerName(group: string, type?: string): string {
    return `${this.prefix}${group}${type === undefined ? '' : `__${type}`}`.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  /** The group a consumer name belongs to (the prefix and any type suffix removed). */
  groupOfConsumer(consumer: string): string {
    return consumer.slice(this.prefix.length).replace(/__.*$/, '');
  }
}

/**
 * The entry id of a JetStream message as handlers and store writers see it: `<ms>-<seq>`, the time
 * the server stored it and its stream sequence, the shape of a Redis stream entry id, so
 * `compareEntryIds` orders one stream's messages by sequence and several streams' by time.
 */
export function entryIdOf(timestampNanos: bigint | number, seq: number): string {
  const ms = typeof timestampNanos === 'bigint' ? timestampNanos / 1_000_000n : BigInt(Math.floor(timestampNanos / 1_000_000));
  return `${ms}-${seq}`;
}

/** The stream sequence in an entry id from {@link entryIdOf}; `undefined` when it is not one. */
export function sequenceOfEntryId(id: string): number | undefined {
  const match = /^\d+-(\d+)$/.exec(id);
  return match === null ? undefined : Number(match[1]);
}
