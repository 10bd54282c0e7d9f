import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCartCheckoutDigest1796500001000 implements MigrationInterface {
  name = 'AddCartCheckoutDigest1796500001000';

  // What a CartCheckedOut was requested with (style and payment, digested), so a repeat of that
  // request is told apart from a new one; outside the event, so it is never published.
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cart_events ADD COLUMN request_digest text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cart_events DROP COLUMN request_digest');
  }
}
