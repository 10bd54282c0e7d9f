import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { ConflictError, ErrorCode } from '@app/contracts';
import type { ReadModel } from './read-model.definitions.js';

type Queryable = Pick<EntityManager, 'query'>;

/** The audit worker stores each batch within milliseconds when it keeps up. */
const POLL_MS = 20;

/**
 * Ids in the model's checkpoint that the store does not hold: applied live, not yet stored. A hashed
 * set difference, whatever the statistics say: an anti-join planned on stale ones probes the store's
 * index once per applied id, several times slower.
 */
async function appliedNotStored(source: Queryable, model: ReadModel<unknown>): Promise<string[]> {
  const rows = await source.query<{ event_id: string }[]>('SELECT event_id FROM projection_applied WHERE model = $1 EXCEPT SELECT event_id FROM events', [
    model.name,
  ]);
  return rows.map((r) => r.event_id);
}

async function notStored(source: Queryable, ids: readonly string[]): Promise<string[]> {
  const rows = await source.query<{ id: string }[]>('SELECT id FROM unnest($1::text[]) AS id WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = id)', [
    ids,
  ]);
  return rows.map((r) => r.id);
}

/**
 * Waits until every event the model has applied so far is in the durable store, so that a fold of
 * the store includes it. Only polls the store: the audit worker stores on its own.
 * @throws ConflictError when some are still missing after `timeoutMs` (the audit worker is behind or stopped).
 */
export async function waitUntilStored(source: Queryable, model: ReadModel<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let missing = await appliedNotStored(source, model); missing.length > 0; missing = await notStored(source, missing)) {
    if (Date.now() >= deadline) {
      throw new ConflictError(
        ErrorCode.StoreBehindProjection,
        `${missing.length} events the ${model.name} read model applied are not in the event store yet (the audit worker is behind or stopped); rebuild once it has stored them`,
        { missing: missing.length },
      );
    }
    await sleep(POLL_MS);
  }
}
