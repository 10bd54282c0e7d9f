/**
 * Migration statements that make every insert into an outbox table notify its relays, on the
 * channel named after the table, with the lowest id the statement inserted. PostgreSQL delivers a
 * notification only once its transaction committed, so a relay woken by it always finds the rows.
 */
export function outboxNotifyTrigger(table: string): { up: string[]; down: string[] } {
  const fn = `${table}_notify`;
  return {
    up: [
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify(TG_TABLE_NAME, first::text) FROM (SELECT min(id) AS first FROM inserted) AS s WHERE first IS NOT NULL;
          RETURN NULL;
        END $$`,
      `CREATE TRIGGER ${fn} AFTER INSERT ON ${table} REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    ],
    down: [`DROP TRIGGER ${fn} ON ${table}`, `DROP FUNCTION ${fn}()`],
  };
}
