import type pg from 'pg';
import type { BusProbe } from './bus-probe.js';
import type { Style } from './checkout.client.js';

/**
 * What the system's own records say about a checkout that did not end well, for the report: a
 * violation is only useful with the trail that explains it.
 */
export async function trailOf(sql: pg.Pool, bus: BusProbe, style: Style, id: string): Promise<string> {
  if (style === 'orchestrated') {
    const { rows } = await sql.query<{ state: string; path: string }>(
      `SELECT s.state, string_agg(t.to_state, ' > ' ORDER BY t.seq) AS path FROM saga.sagas s LEFT JOIN saga.saga_transitions t ON t.saga_id = s.id WHERE s.id = $1 GROUP BY s.state`,
      [id],
    );
    return rows[0] === undefined ? 'no saga' : `saga ${rows[0].state}: ${rows[0].path}`;
  }
  const [events, checkout] = await Promise.all([
    sql.query<{ path: string }>(`SELECT string_agg(type, ' > ' ORDER BY global_position) AS path FROM event_store.events WHERE correlation_id = $1`, [id]),
    sql
      .query<{ stuck_at: Date | null; compensated_at: Date | null; refused: string | null }>(
        'SELECT stuck_at, compensated_at, compensation_refused AS refused FROM checkout_deadline.watched_checkouts WHERE checkout_id = $1',
        [id],
      )
      .catch(() => ({ rows: [] })),
  ]);
  const letters = await bus.deadLettersOf(id);
  const row = checkout.rows[0];
  const watch =
    row === undefined
      ? 'not watched by the checkout-deadline worker'
      : `stuck at ${row.stuck_at?.toISOString() ?? '-'}, compensated at ${row.compensated_at?.toISOString() ?? '-'}${row.refused === null ? '' : `, compensation refused: ${row.refused}`}`;
  return `events: ${events.rows[0]?.path ?? 'none'}; ${watch}${letters.length === 0 ? '' : `; dead-lettered: ${letters.join('; ')}`}`;
}
