import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuthorizations1732370000000 implements MigrationInterface {
  name = 'CreateAuthorizations1732370000000';

  async up(q: QueryRunner): Promise<void> {
    // No token column: the decision is all a repeat needs, and a stored token would be a credential at rest.
    await q.query(`
      CREATE TABLE authorizations (
        checkout_id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('AUTHORIZED', 'DECLINED', 'VOIDED')),
        amount_cents integer NOT NULL CHECK (amount_cents >= 0),
        decline_code text,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'DECLINED') = (decline_code IS NOT NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE authorizations');
  }
}
