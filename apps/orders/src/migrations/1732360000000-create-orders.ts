import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1732360000000 implements MigrationInterface {
  name = 'CreateOrders1732360000000';

  async up(q: QueryRunner): Promise<void> {
    // total_cents is bigint: 100 lines of 1,000 units at the catalog's highest price overflow integer.
    await q.query(`
      CREATE TABLE orders (
        order_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        checkout_id text NOT NULL UNIQUE,
        client_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
        items jsonb NOT NULL,
        total_cents bigint NOT NULL CHECK (total_cents >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX orders_by_client ON orders (client_id, created_at DESC, order_id DESC)');
    await q.query(`
      CREATE TABLE order_refusals (
        checkout_id text PRIMARY KEY,
        code text NOT NULL,
        message text NOT NULL,
        details jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A cancellation that overtook the create: the late create is refused instead of opening a live order.
    await q.query(`
      CREATE TABLE cancelled_checkouts (
        checkout_id text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE cancelled_checkouts');
    await q.query('DROP TABLE order_refusals');
    await q.query('DROP TABLE orders');
  }
}
