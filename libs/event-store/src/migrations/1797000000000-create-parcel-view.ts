import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The parcels read model: one row per parcel, paged per client newest first. */
export class CreateParcelView1797000000000 implements MigrationInterface {
  name = 'CreateParcelView1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parcel_view (
        parcel_id text PRIMARY KEY,
        client_id text NOT NULL,
        status text NOT NULL,
        registered_at timestamptz NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        view jsonb NOT NULL
      )`);
    await q.query('CREATE INDEX parcel_view_by_client ON parcel_view (client_id, registered_at DESC, parcel_id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE parcel_view');
  }
}
