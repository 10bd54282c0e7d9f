import type { EntityManager } from 'typeorm';
import type { AnyEvent } from '@app/contracts';
import { runPrepared } from '@app/database';
import type { ReadModel } from './read-model.definitions.js';

/** Groups events by the row of `model` they touch, keeping their order. */
export function eventsByKey(model: ReadModel<unknown>, events: readonly AnyEvent[]): Map<string, AnyEvent[]> {
  const byKey = new Map<string, AnyEvent[]>();
  for (const event of events) {
    const key = model.keyOf(event);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), event]);
  }
  return byKey;
}

/** Writes views in one statement: insert, or replace the view and its query columns. */
export async function upsertViews(tx: EntityManager, model: ReadModel<unknown>, views: Map<string, unknown>): Promise<void> {
  if (views.size === 0) return;
  const extra = Object.keys(model.columnTypes);
  const rows = [...views.entries()].map(([key, view]) => ({ [model.keyColumn]: key, view, ...model.columns(view) }));
  const columns = [model.keyColumn, 'view', ...extra];
  const recordType = [`${model.keyColumn} text`, 'view jsonb', ...extra.map((c) => `${c} ${model.columnTypes[c]}`)].join(', ');
  const text = `INSERT INTO ${model.table} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})
     ON CONFLICT (${model.keyColumn}) DO UPDATE SET ${columns
       .slice(1)
       .map((c) => `${c} = EXCLUDED.${c}`)
       .join(', ')}`;
  await runPrepared(tx, { name: `read_model_upsert_${model.table}`, text }, [JSON.stringify(rows)]);
}
