import type { DataSource, EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';

/** An event and the bus stream it was read from. */
export interface IncomingEvent {
  stream: string;
  event: AnyEvent;
}

export interface AppendResult {
  appended: number;
  duplicates: number;
}

const checkoutIdOf = (event: AnyEvent): string | null => {
  const id = (event.payload as { checkoutId?: unknown }).checkoutId;
  return typeof id === 'string' ? id : null;
};

/**
 * Appends events to the durable store, once per eventId, giving each a global position and a
 * position in its stream. Appends of one stream are serialised by an advisory lock, so stream
 * positions are gap-free; an event already stored is skipped, so redelivery is harmless.
 */
export async function appendEvents(db: DataSource, batch: readonly IncomingEvent[]): Promise<AppendResult> {
  if (batch.length === 0) return { appended: 0, duplicates: 0 };
  return db.transaction(async (tx) => {
    const unique = dedupe(batch);
    const streams = [...new Set(unique.map((i) => i.stream))].sort();
    // Locks in a fixed order: concurrent appenders of a stream queue here, then see each other's rows.
    for (const stream of streams) await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event-store:${stream}`]);
    const stored = new Set(
      (await tx.query<{ event_id: string }[]>('SELECT event_id FROM events WHERE event_id = ANY($1)', [unique.map((i) => i.event.eventId)])).map((r) => r.event_id),
    );
    const fresh = unique.filter((i) => !stored.has(i.event.eventId));
    for (const [stream, items] of byStream(fresh)) await appendToStream(tx, stream, items);
    return { appended: fresh.length, duplicates: batch.length - fresh.length };
  });
}

function dedupe(batch: readonly IncomingEvent[]): IncomingEvent[] {
  const seen = new Set<string>();
  return batch.filter((i) => (seen.has(i.event.eventId) ? false : (seen.add(i.event.eventId), true)));
}

function byStream(items: IncomingEvent[]): [string, IncomingEvent[]][] {
  const groups = new Map<string, IncomingEvent[]>();
  for (const item of items) groups.set(item.stream, [...(groups.get(item.stream) ?? []), item]);
  return [...groups.entries()];
}

async function appendToStream(tx: EntityManager, stream: string, items: IncomingEvent[]): Promise<void> {
  const [head] = await tx.query<{ position: string }[]>(
    `INSERT INTO stream_heads (stream, position) VALUES ($1, $2)
     ON CONFLICT (stream) DO UPDATE SET position = stream_heads.position + EXCLUDED.position
     RETURNING position`,
    [stream, items.length],
  );
  const first = Number(head!.position) - items.length + 1;
  const rows = items.map(({ event }, i) => ({
    event_id: event.eventId,
    stream,
    stream_position: first + i,
    type: event.type,
    schema_version: event.schemaVersion,
    occurred_at: event.occurredAt,
    correlation_id: event.correlationId,
    causation_id: event.causationId,
    checkout_id: checkoutIdOf(event),
    producer: event.producer,
    payload: event.payload,
  }));
  await tx.query(
    `INSERT INTO events (event_id, stream, stream_position, type, schema_version, occurred_at, correlation_id, causation_id, checkout_id, producer, payload)
     SELECT event_id, stream, stream_position, type, schema_version, occurred_at, correlation_id, causation_id, checkout_id, producer, payload
     FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, stream text, stream_position bigint, type text, schema_version integer,
       occurred_at timestamptz, correlation_id text, causation_id text, checkout_id text, producer text, payload jsonb)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}
