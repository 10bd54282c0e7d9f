import type { AnyEvent, EventEnvelope, EventType } from '@app/contracts';

/**
 * Entry format: one field, `event`, holding the whole {@link EventEnvelope} as JSON
 * (`XADD <prefix><stream> * event <json>`). One self-describing field keeps the envelope intact
 * end to end (the dead-letter stream copies it verbatim, the event store stores it as is) and
 * leaves versioning to the envelope's `schemaVersion`.
 */
export const ENVELOPE_FIELD = 'event';

/** The field/value list of the stream entry carrying `envelope`. */
export function encodeEnvelope<T extends EventType>(envelope: EventEnvelope<T>): [typeof ENVELOPE_FIELD, string] {
  return [ENVELOPE_FIELD, JSON.stringify(envelope)];
}

/** What a consumer finds in an entry it was delivered. */
export type DecodedEntry =
  | { kind: 'event'; envelope: AnyEvent }
  /** Unusable whatever the retries: dead-lettered at once. */
  | { kind: 'poison'; reason: string }
  /** Delivered earlier, then trimmed away: only its pending record is left. */
  | { kind: 'deleted' };

/** Reads an entry's fields (`null` when the entry was deleted after delivery). */
export function decodeEntry(fields: readonly string[] | null): DecodedEntry {
  if (fields === null) return { kind: 'deleted' };
  const index = fields.findIndex((value, i) => i % 2 === 0 && value === ENVELOPE_FIELD);
  const raw = index === -1 ? undefined : fields[index + 1];
  if (raw === undefined) return { kind: 'poison', reason: `unparsable entry: no "${ENVELOPE_FIELD}" field` };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { kind: 'poison', reason: `unparsable entry: ${(error as Error).message}` };
  }
  const missing = missingEnvelopeFields(value);
  if (missing.length > 0) return { kind: 'poison', reason: `unparsable entry: not an event envelope (missing or invalid ${missing.join(', ')})` };
  return { kind: 'event', envelope: value as AnyEvent };
}

/** Whether `value` has the shape of an event envelope (its payload is not checked against its type). */
export function isEnvelope(value: unknown): value is AnyEvent {
  return missingEnvelopeFields(value).length === 0;
}

const STRING_FIELDS = ['eventId', 'type', 'occurredAt', 'correlationId', 'producer'] as const;

function missingEnvelopeFields(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['envelope'];
  const record = value as Record<string, unknown>;
  const missing: string[] = STRING_FIELDS.filter((field) => typeof record[field] !== 'string' || record[field] === '');
  if (typeof record['payload'] !== 'object' || record['payload'] === null) missing.push('payload');
  return missing;
}
