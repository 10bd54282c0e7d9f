import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * orders-by-client becomes one row per checkout, so a cancelled order can stop counting: the old
 * per-client row only held a running count. The new table starts empty and the model's checkpoint
 * is cleared; `POST /api/event-store/projections/orders-by-client/rebuild` refills it from the store.
 */
export class ClientOrders1732360002000 implements MigrationInterface {
  name = 'ClientOrders1732360002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE client_orders (
        checkout_id text PRIMARY KEY,
        client_id text NOT NULL,
        succeeded_at timestamptz,
        counted boolean NOT NULL,
        view jsonb NOT NULL
      )`);
    await q.query('CREATE INDEX client_orders_counted_idx ON client_orders (client_id, succeeded_at DESC, checkout_id DESC) WHERE counted');
    await q.query('DROP TABLE orders_by_client');
    await q.query(`DELETE FROM projection_applied WHERE model = 'orders-by-client'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE orders_by_client (client_id text PRIMARY KEY, view jsonb NOT NULL)');
    await q.query('DROP TABLE client_orders');
    await q.query(`DELETE FROM projection_applied WHERE model = 'orders-by-client'`);
  }
}
