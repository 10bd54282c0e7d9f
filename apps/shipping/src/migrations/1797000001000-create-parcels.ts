import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxNotifyTrigger } from '@app/database';

export class CreateParcels1797000001000 implements MigrationInterface {
  name = 'CreateParcels1797000001000';

  async up(q: QueryRunner): Promise<void> {
    // A checkout's first parcel is registered once (the unique index on checkout_id); a reshipment
    // replaces a parcel once (the unique replaces_parcel_id). last_news_at is what the deadline watches.
    await q.query(`
      CREATE TABLE parcels (
        parcel_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        checkout_id text NOT NULL,
        client_id text NOT NULL,
        order_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('REGISTERED', 'SHIPPED', 'DELIVERED', 'INCIDENT', 'REFUNDING', 'RESHIPPED', 'REFUNDED')),
        replaces_parcel_id uuid UNIQUE REFERENCES parcels (parcel_id),
        carrier_ref text,
        incident_kind text CHECK (incident_kind IN ('LOST', 'DAMAGED', 'DEADLINE')),
        incident_detail text,
        last_news_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX parcels_first_of_checkout ON parcels (checkout_id) WHERE replaces_parcel_id IS NULL');
    await q.query('CREATE INDEX parcels_of_checkout ON parcels (checkout_id)');
    await q.query(`CREATE INDEX parcels_awaiting_carrier ON parcels (last_news_at) WHERE status IN ('REGISTERED', 'SHIPPED')`);
    await q.query(`CREATE INDEX parcels_refunding ON parcels (updated_at) WHERE status = 'REFUNDING'`);
    // Transactional outbox of the parcel events, written with the transition they announce.
    await q.query(`
      CREATE TABLE shipping_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const sql of outboxNotifyTrigger('shipping_outbox').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxNotifyTrigger('shipping_outbox').down) await q.query(sql);
    await q.query('DROP TABLE shipping_outbox');
    await q.query('DROP TABLE parcels');
  }
}
