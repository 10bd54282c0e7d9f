import type { DataSource, EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';

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
 * position in its stream. Appends are serialised by one advisory lock and positions are counted
 * in the transaction, so both are gap-free (a rolled-back append takes none) and follow commit
 * order: a reader paging by position never skips an event committed later. An event already stored
 * is skipped, so redelivery is harmless; writers batch events to amortise the lock.
 */
export async function appendEvents(db: DataSource, batch: readonly IncomingEvent[]): Promise<AppendResult> {
  if (batch.length === 0) return { appended: 0, duplicates: 0 };
  return db.transaction(async (tx) => {
    const unique = dedupe(batch);
    await runPrepared(tx, LOCK_APPENDS, []);
    const stored = new Set(
      (await tx.query<{ event_id: string }[]>('SELECT event_id FROM events WHERE event_id = ANY($1)', [unique.map((i) => i.event.eventId)])).map(
        (r) => r.event_id,
      ),
    );
    const fresh = unique.filter((i) => !stored.has(i.event.eventId));
    if (fresh.length > 0) await insertEvents(tx, fresh);
    return { appended: fresh.length, duplicates: batch.length - fresh.length };
  });
}

/*
 * The writes of every append are prepared (ADR 0022): the audit worker appends a batch per read of
 * the bus. The reads of the store are not: a plan kept for the life of a connection would be the one
 * made when the store was small, a scan of the whole table, kept as the store grows.
 */
const LOCK_APPENDS: PreparedStatement = { name: 'store_lock_appends', text: `SELECT pg_advisory_xact_lock(hashtext('event-store:append'))` };
const ADVANCE_HEADS: PreparedStatement = {
  name: 'store_advance_heads',
  text: `INSERT INTO stream_heads (stream, position) SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (stream) DO UPDATE SET position = stream_heads.position + EXCLUDED.position
     RETURNING stream, position`,
};
const INSERT_EVENTS: PreparedStatement = {
  name: 'store_insert_events',
  text: `INSERT INTO events (global_position, event_id, stream, stream_position, type, schema_version, occurred_at, correlation_id, causation_id, checkout_id, producer, payload,
       trace_context)
     SELECT global_position, event_id, stream, stream_position, type, schema_version, occurred_at, correlation_id, causation_id, checkout_id, producer, payload,
       trace_context
     FROM jsonb_to_recordset($1::jsonb) AS r(global_position bigint, event_id text, stream text, stream_position bigint, type text, schema_version integer,
       occurred_at timestamptz, correlation_id text, causation_id text, checkout_id text, producer text, payload jsonb, trace_context jsonb)`,
};

function dedupe(batch: readonly IncomingEvent[]): IncomingEvent[] {
  const seen = new Set<string>();
  return batch.filter((i) => (seen.has(i.event.eventId) ? false : (seen.add(i.event.eventId), true)));
}

/** Moves the head of each stream past its new events; returns the first new position of each. */
async function advanceStreamHeads(tx: EntityManager, items: readonly IncomingEvent[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { stream } of items) counts.set(stream, (counts.get(stream) ?? 0) + 1);
  const heads = await runPrepared<{ stream: string; position: string }>(tx, ADVANCE_HEADS, [[...counts.keys()], [...counts.values()]]);
  return new Map(heads.map((h) => [h.stream, Number(h.position) - counts.get(h.stream)! + 1]));
}

async function insertEvents(tx: EntityManager, items: readonly IncomingEvent[]): Promise<void> {
  const [head] = await tx.query<{ last: string }[]>('SELECT coalesce(max(global_position), 0) AS last FROM events');
  const last = Number(head?.last ?? 0);
  const next = await advanceStreamHeads(tx, items);
  const rows = items.map(({ stream, event }, i) => {
    const streamPosition = next.get(stream)!;
    next.set(stream, streamPosition + 1);
    return {
      global_position: last + 1 + i,
      event_id: event.eventId,
      stream,
      stream_position: streamPosition,
      type: event.type,
      schema_version: event.schemaVersion,
      occurred_at: event.occurredAt,
      correlation_id: event.correlationId,
      causation_id: event.causationId,
      checkout_id: checkoutIdOf(event),
      producer: event.producer,
      payload: event.payload,
      // As it arrived, even garbled: readers of it are lenient (`traceCarrierOf`).
      trace_context: event.traceContext ?? null,
    };
  });
  await runPrepared(tx, INSERT_EVENTS, [JSON.stringify(rows)]);
}
