import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authorizing and voiding are one call each of these functions. They run in READ COMMITTED: every
 * statement of a function sees what committed before it, in particular the row of a request whose
 * insert it waited for on the primary key. Rows are never deleted, so the row that won is there.
 */
export class CreateAuthorizationFunctions1796409602000 implements MigrationInterface {
  name = 'CreateAuthorizationFunctions1796409602000';

  async up(q: QueryRunner): Promise<void> {
    // Stores this decision unless the checkout has one (or a tombstone), and answers the first.
    await q.query(`
      CREATE FUNCTION authorize_payment(p_checkout_id text, p_status text, p_amount_cents integer, p_decline_code text, p_reason text)
      RETURNS authorizations LANGUAGE plpgsql AS $$
      DECLARE
        decided authorizations;
      BEGIN
        -- A concurrent repeat waits on the primary key until the first insert commits, then inserts nothing.
        INSERT INTO authorizations (checkout_id, status, amount_cents, decline_code, reason)
        VALUES (p_checkout_id, p_status, p_amount_cents, p_decline_code, p_reason)
        ON CONFLICT (checkout_id) DO NOTHING RETURNING * INTO decided;
        IF NOT FOUND THEN
          SELECT * INTO decided FROM authorizations WHERE checkout_id = p_checkout_id;
        END IF;
        RETURN decided;
      END $$`);

    // Voids an authorization, or leaves a VOIDED tombstone of amount 0 when there is none yet;
    // answers any other (a decline) as it is.
    await q.query(`
      CREATE FUNCTION void_authorization(p_checkout_id text) RETURNS authorizations LANGUAGE plpgsql AS $$
      DECLARE
        voided authorizations;
      BEGIN
        -- An authorize racing this insert either lands first (and is voided below) or finds the tombstone.
        INSERT INTO authorizations (checkout_id, status, amount_cents) VALUES (p_checkout_id, 'VOIDED', 0)
        ON CONFLICT (checkout_id) DO NOTHING RETURNING * INTO voided;
        IF FOUND THEN
          RETURN voided;
        END IF;
        UPDATE authorizations SET status = 'VOIDED', updated_at = now() WHERE checkout_id = p_checkout_id AND status = 'AUTHORIZED' RETURNING * INTO voided;
        IF NOT FOUND THEN
          SELECT * INTO voided FROM authorizations WHERE checkout_id = p_checkout_id;
        END IF;
        RETURN voided;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION void_authorization(text)');
    await q.query('DROP FUNCTION authorize_payment(text, text, integer, text, text)');
  }
}
