import type { AnyEvent, EventEnvelope, EventType } from '@app/contracts';

/**
 * Entry format: `event`, the whole {@link EventEnvelope} as JSON, then `type`, its event type
 * (`XADD <prefix><stream> * event <json> type <type>`). The self-describing `event` field keeps the
 * envelope intact end to end (the dead-letter stream copies it verbatim, the event store stores it
 * as is) and leaves versioning to the envelope's `schemaVersion`. The `type` field lets a consumer
 * group skip the entries of types it does not handle without parsing them. It comes second so that
 * readers written for the older one-field format, which look at the first pair only, still work.
 */
export const ENVELOPE_FIELD = 'event';
/** The entry field naming the envelope's type; entries written before it existed have none. */
export const TYPE_FIELD = 'type';

/** The field/value list of the stream entry carrying `envelope`. */
export function encodeEnvelope<T extends EventType>(envelope: EventEnvelope<T>): [typeof ENVELOPE_FIELD, string, typeof TYPE_FIELD, T] {
  return [ENVELOPE_FIELD, JSON.stringify(envelope), TYPE_FIELD, envelope.type];
}

/** What a consumer finds in an entry it was delivered. */
export type DecodedEntry =
  | { kind: 'event'; envelope: AnyEvent }
  /** Unusable whatever the retries: dead-lettered at once. */
  | { kind: 'poison'; reason: string }
  /** Delivered earlier, then trimmed away: only its pending record is left. */
  | { kind: 'deleted' };

/**
 * The entry's `type` field, read without parsing the envelope; `undefined` when the entry has none
 * (written before the field existed, or by hand).
 */
export function entryTypeOf(fields: readonly string[]): string | undefined {
  // The publisher's layout first: `event <json> type <type>`.
  if (fields[2] === TYPE_FIELD) return fields[3];
  return fieldValue(fields, TYPE_FIELD);
}

/** Reads an entry's fields (`null` when the entry was deleted after delivery). */
export function decodeEntry(fields: readonly string[] | null): DecodedEntry {
  if (fields === null) return { kind: 'deleted' };
  const raw = fields[0] === ENVELOPE_FIELD ? fields[1] : fieldValue(fields, ENVELOPE_FIELD);
  if (raw === undefined) return { kind: 'poison', reason: `unparsable entry: no "${ENVELOPE_FIELD}" field` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { kind: 'poison', reason: `unparsable entry: ${(error as Error).message}` };
  }
  const missing = missingEnvelopeFields(value);
  if (missing.length > 0) return { kind: 'poison', reason: `unparsable entry: not an event envelope (missing or invalid ${missing.join(', ')})` };
  const envelope = value as AnyEvent;
  const type = entryTypeOf(fields);
  // Consumers route on the field: an entry whose field and envelope disagree would reach the wrong groups.
  if (type !== undefined && type !== envelope.type) {
    return { kind: 'poison', reason: `unparsable entry: its "${TYPE_FIELD}" field says "${type}", its envelope "${envelope.type}"` };
  }
  return { kind: 'event', envelope };
}

/** Whether `value` has the shape of an event envelope (its payload is not checked against its type). */
export function isEnvelope(value: unknown): value is AnyEvent {
  return missingEnvelopeFields(value).length === 0;
}

function fieldValue(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

const STRING_FIELDS = ['eventId', 'type', 'occurredAt', 'correlationId', 'producer'] as const;

function missingEnvelopeFields(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['envelope'];
  const record = value as Record<string, unknown>;
  const missing: string[] = STRING_FIELDS.filter((field) => typeof record[field] !== 'string' || record[field] === '');
  if (typeof record['payload'] !== 'object' || record['payload'] === null) missing.push('payload');
  return missing;
}
