import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStock1732350000000 implements MigrationInterface {
  name = 'CreateStock1732350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE products (
        sku text PRIMARY KEY,
        name text NOT NULL,
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        available integer NOT NULL CHECK (available >= 0),
        reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0)
      )`);
    await q.query(`
      CREATE TABLE reservations (
        checkout_id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('RESERVED', 'CONFIRMED', 'RELEASED')),
        items jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE reservation_refusals (
        checkout_id text PRIMARY KEY,
        code text NOT NULL,
        message text NOT NULL,
        details jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE reservation_refusals');
    await q.query('DROP TABLE reservations');
    await q.query('DROP TABLE products');
  }
}
