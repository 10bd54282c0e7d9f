import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The simulated carrier looks every second for the parcels due a move, INCIDENT ones included; the
 * index it needs left INCIDENT out, so that look read every parcel ever shipped, and the system's
 * CPU at rest grew with its history. The index now holds every status a carrier moves on from.
 */
export class IndexParcelsAwaitingNews1797000004000 implements MigrationInterface {
  name = 'IndexParcelsAwaitingNews1797000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX parcels_awaiting_carrier');
    await q.query(`CREATE INDEX parcels_awaiting_carrier ON parcels (last_news_at) WHERE status IN ('REGISTERED', 'SHIPPED', 'INCIDENT')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX parcels_awaiting_carrier');
    await q.query(`CREATE INDEX parcels_awaiting_carrier ON parcels (last_news_at) WHERE status IN ('REGISTERED', 'SHIPPED')`);
  }
}
