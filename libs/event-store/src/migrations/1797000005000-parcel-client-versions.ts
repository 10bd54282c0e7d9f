import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's version in the parcels cache is the sum of the versions of its parcels. Summing them at
 * every read and after every projected parcel event cost a scan of every parcel the client ever had
 * (2-4 ms per checkout in the bench, the costliest statement of all). `parcel_client_versions` keeps
 * the sum instead, kept equal to it by statement triggers on `parcel_view` in the transaction that
 * changes the rows, whoever writes them (the live projector, a rebuild); each statement takes the
 * clients' counters in client order.
 */
export class ParcelClientVersions1797000005000 implements MigrationInterface {
  name = 'ParcelClientVersions1797000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE parcel_client_versions (client_id text PRIMARY KEY, version bigint NOT NULL)');
    await q.query(`
      CREATE FUNCTION parcel_client_versions_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO parcel_client_versions (client_id, version)
          SELECT client_id, sum(version) FROM new_rows GROUP BY client_id ORDER BY client_id
          ON CONFLICT (client_id) DO UPDATE SET version = parcel_client_versions.version + EXCLUDED.version;
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO parcel_client_versions (client_id, version)
          SELECT client_id, sum(delta) FROM (
            SELECT client_id, version AS delta FROM new_rows UNION ALL SELECT client_id, -version FROM old_rows
          ) changes GROUP BY client_id ORDER BY client_id
          ON CONFLICT (client_id) DO UPDATE SET version = parcel_client_versions.version + EXCLUDED.version;
        ELSE
          UPDATE parcel_client_versions c SET version = c.version - gone.version
          FROM (SELECT client_id, sum(version) AS version FROM old_rows GROUP BY client_id) gone WHERE c.client_id = gone.client_id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER parcel_client_versions_on_insert AFTER INSERT ON parcel_view
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_client_versions_follow()`);
    await q.query(`CREATE TRIGGER parcel_client_versions_on_update AFTER UPDATE ON parcel_view
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_client_versions_follow()`);
    await q.query(`CREATE TRIGGER parcel_client_versions_on_delete AFTER DELETE ON parcel_view
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_client_versions_follow()`);
    await q.query('INSERT INTO parcel_client_versions (client_id, version) SELECT client_id, sum(version) FROM parcel_view GROUP BY client_id');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER parcel_client_versions_on_insert ON parcel_view');
    await q.query('DROP TRIGGER parcel_client_versions_on_update ON parcel_view');
    await q.query('DROP TRIGGER parcel_client_versions_on_delete ON parcel_view');
    await q.query('DROP FUNCTION parcel_client_versions_follow()');
    await q.query('DROP TABLE parcel_client_versions');
  }
}
