import type { DataSource, EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';

/** An event as stored, with its positions. */
export interface StoredEvent {
  globalPosition: number;
  stream: string;
  streamPosition: number;
  recordedAt: string;
  event: AnyEvent;
}

interface EventRow {
  global_position: string;
  event_id: string;
  stream: string;
  stream_position: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  correlation_id: string;
  causation_id: string | null;
  producer: string;
  payload: unknown;
  trace_context: unknown;
}

const COLUMNS =
  'global_position, event_id, stream, stream_position, type, schema_version, occurred_at, recorded_at, correlation_id, causation_id, producer, payload, trace_context';

/** The columns of an envelope but its time and trace context, which each reader reads its own way. */
type EnvelopeRow = Pick<EventRow, 'event_id' | 'type' | 'schema_version' | 'correlation_id' | 'causation_id' | 'producer' | 'payload'>;

function envelopeOf(row: EnvelopeRow, occurredAt: string): AnyEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    producer: row.producer,
    payload: row.payload,
  } as AnyEvent;
}

function toStored(row: EventRow): StoredEvent {
  return {
    globalPosition: Number(row.global_position),
    stream: row.stream,
    streamPosition: Number(row.stream_position),
    recordedAt: row.recorded_at.toISOString(),
    event: { ...envelopeOf(row, row.occurred_at.toISOString()), ...(row.trace_context !== null && { traceContext: row.trace_context }) } as AnyEvent,
  };
}

/** Events of one stream after a stream position, in order. */
export async function readStream(db: DataSource, stream: string, after: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow[]>(`SELECT ${COLUMNS} FROM events WHERE stream = $1 AND stream_position > $2 ORDER BY stream_position LIMIT $3`, [
    stream,
    after,
    limit,
  ]);
  return rows.map(toStored);
}

/** Every event after a global position, in order: what projection rebuilds read (also inside a transaction). */
export async function readAll(db: Pick<EntityManager, 'query'>, after: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow[]>(`SELECT ${COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`, [after, limit]);
  return rows.map(toStored);
}

/** An event as a fold needs it: its envelope (without its trace context) and its global position. */
export interface FoldedEvent {
  globalPosition: number;
  event: AnyEvent;
}

type FoldRow = EnvelopeRow & Pick<EventRow, 'global_position'> & { occurred_at: string };

/**
 * The envelope's time as `toISOString()` writes it, formatted by PostgreSQL: a rebuild reads every
 * event, and parsing each timestamp into a Date only to print it again costs more than the read.
 */
const OCCURRED_AT_ISO = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Every event after a global position, in order, with only what a fold reads: what projection
 * rebuilds read (also inside a transaction). About twice as fast as `readAll` on the same page.
 */
export async function readAllForFold(db: Pick<EntityManager, 'query'>, after: number, limit: number): Promise<FoldedEvent[]> {
  const rows = await db.query<FoldRow[]>(
    `SELECT global_position, event_id, type, schema_version, ${OCCURRED_AT_ISO} AS occurred_at, correlation_id, causation_id, producer, payload
     FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
    [after, limit],
  );
  return rows.map((row) => ({ globalPosition: Number(row.global_position), event: envelopeOf(row, row.occurred_at) }));
}

/** The events of a checkout in either style, found by checkoutId or by sagaId. */
export async function eventsOfCheckout(db: DataSource, id: string): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow[]>(
    `SELECT ${COLUMNS} FROM events WHERE checkout_id = $1
     UNION SELECT ${COLUMNS} FROM events WHERE correlation_id = $1
     ORDER BY global_position`,
    [id],
  );
  return rows.map(toStored);
}

/** The events of a cart, in order. */
export async function eventsOfCart(db: DataSource, cartId: string): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow[]>(`SELECT ${COLUMNS} FROM events WHERE correlation_id = $1 AND type LIKE 'Cart%' ORDER BY global_position`, [cartId]);
  return rows.map(toStored);
}

/** Streams in the store with their length. */
export async function storedStreams(db: DataSource): Promise<{ stream: string; length: number }[]> {
  const rows = await db.query<{ stream: string; position: string }[]>('SELECT stream, position FROM stream_heads ORDER BY stream');
  return rows.map((r) => ({ stream: r.stream, length: Number(r.position) }));
}
