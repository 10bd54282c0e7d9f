import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A confirmed order whose parcel was lost or damaged, and not reshipped, is refunded. */
export class AllowRefundedOrders1797000002000 implements MigrationInterface {
  name = 'AllowRefundedOrders1797000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check,
      ADD CONSTRAINT orders_status_check CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'REFUNDED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check,
      ADD CONSTRAINT orders_status_check CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED'))`);
  }
}
