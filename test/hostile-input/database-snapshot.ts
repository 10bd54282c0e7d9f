import pg from 'pg';

/**
 * Tables whose rows change by themselves: outboxes are relayed and emptied, schema history, and the
 * folds of the bus that apps keep for themselves, which catch up with a request's events after it
 * was answered (the checkout app's status, the deadline worker's watch).
 */
const VOLATILE_TABLES = new Set(['saga_outbox', 'checkout_outbox', 'deadline_outbox', 'migrations']);
const VOLATILE_SCHEMAS_OF_FOLDS = new Set(['checkout_deadline']);
const VOLATILE_FOLDS = new Set(['checkout.checkout_view', 'checkout.projection_applied']);
/** Columns that move with time, not with requests (saga leases renewed by the running orchestrator). */
const VOLATILE_COLUMNS = ['lease_owner', 'lease_until'];

/**
 * A fingerprint of every row of every table of the database, per table: two equal snapshots mean
 * no request changed anything.
 */
export async function snapshotDatabase(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schemaname: string; tablename: string }>(
      `SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    const snapshot: Record<string, string> = {};
    for (const { schemaname, tablename } of tables) {
      if (VOLATILE_TABLES.has(tablename) || VOLATILE_SCHEMAS_OF_FOLDS.has(schemaname) || VOLATILE_FOLDS.has(`${schemaname}.${tablename}`)) continue;
      const drop = VOLATILE_COLUMNS.map((c) => ` - '${c}'`).join('');
      const { rows } = await client.query<{ rows: string; fingerprint: string }>(
        `SELECT count(*)::text AS rows, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS fingerprint
           FROM (SELECT to_jsonb(t)${drop} AS r FROM "${schemaname}"."${tablename}" t) x`,
      );
      snapshot[`${schemaname}.${tablename}`] = `${rows[0]!.rows} rows ${rows[0]!.fingerprint}`;
    }
    return snapshot;
  } finally {
    await client.end();
  }
}
