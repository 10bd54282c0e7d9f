import type { Redis } from 'ioredis';
import { ENVELOPE_FIELD, TYPE_FIELD } from './stream-entry.codec.js';

/** An entry given up on, as written to the dead-letter stream of its stream (`<stream>.dlq`). */
export interface DeadLetter {
  /** The stream key the entry was read from (prefix included). */
  stream: string;
  /**
   * The dead-letter stream key to write to (prefix included): `<stream>.dlq` of the stream whose
   * events the entry is, also when it was read from a type stream (`deadLetterStreamFor`).
   */
  deadLetterStream: string;
  id: string;
  group: string;
  consumer: string;
  /** Deliveries the entry got, the failed one included. */
  attempts: number;
  error: string;
  /** The entry's original field/value list. */
  fields: readonly string[];
}

/**
 * Appends the entry to `deadLetterStream` and acknowledges it, in one MULTI so an entry is
 * never both lost and unacknowledged nor dead-lettered twice by one consumer.
 *
 * Dead-letter entry fields: `event` (the original envelope JSON, verbatim, when the entry had one)
 * and `type` (when it had that too), `fields` (JSON of the original field list, only when it was
 * anything else), `error`, `originalId`, `originalStream`, `group`, `consumer`, `attempts`,
 * `deadLetteredAt` (ISO-8601).
 */
export async function writeDeadLetter(redis: Redis, letter: DeadLetter): Promise<string> {
  const original = originalFields(letter.fields);
  const replies = await redis
    .multi()
    .xadd(
      letter.deadLetterStream,
      '*',
      ...original,
      'error',
      letter.error,
      'originalId',
      letter.id,
      'originalStream',
      letter.stream,
      'group',
      letter.group,
      'consumer',
      letter.consumer,
      'attempts',
      String(letter.attempts),
      'deadLetteredAt',
      new Date().toISOString(),
    )
    .xack(letter.stream, letter.group, letter.id)
    .exec();
  const failure = replies?.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
  return String(replies?.[0]?.[1]);
}

/** The entry's own fields when they are an envelope and its type, as publishers write them; otherwise all of them as JSON. */
function originalFields(fields: readonly string[]): string[] {
  const names = fields.filter((_, i) => i % 2 === 0);
  const asPublished =
    names.includes(ENVELOPE_FIELD) && names.every((name) => name === ENVELOPE_FIELD || name === TYPE_FIELD) && new Set(names).size === names.length;
  return asPublished ? [...fields] : ['fields', JSON.stringify(fields)];
}
