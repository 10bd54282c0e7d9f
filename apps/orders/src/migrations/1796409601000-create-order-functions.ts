import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each step on an order is one call of one of these functions, so its locks are held for one round
 * trip, not across a conversation with the app. They run in READ COMMITTED: every statement of a
 * function sees what committed before it, in particular what a request it waited for decided.
 * Decisions about one checkout are serialised by the same advisory lock as before these functions;
 * its two-key form keeps orders' locks apart from the other services' when they share a database.
 */
export class CreateOrderFunctions1796409601000 implements MigrationInterface {
  name = 'CreateOrderFunctions1796409601000';

  async up(q: QueryRunner): Promise<void> {
    // Answers {"order": row}, {"refusal": {code, message, details}} or {"cancelled": true}: the first
    // outcome of the checkout, which is this one (p_refusal, or else the order) if there was none.
    await q.query(`
      CREATE FUNCTION place_order(p_checkout_id text, p_client_id text, p_items jsonb, p_total_cents bigint, p_refusal jsonb) RETURNS jsonb
      LANGUAGE plpgsql AS $$
      DECLARE
        placed orders;
        refusal order_refusals;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('orders'), hashtext(p_checkout_id));
        SELECT * INTO placed FROM orders WHERE checkout_id = p_checkout_id;
        IF FOUND THEN
          RETURN jsonb_build_object('order', to_jsonb(placed));
        END IF;
        -- The refusal was the first answer, so it wins over a cancellation that came after it.
        SELECT * INTO refusal FROM order_refusals WHERE checkout_id = p_checkout_id;
        IF FOUND THEN
          RETURN jsonb_build_object('refusal', jsonb_build_object('code', refusal.code, 'message', refusal.message, 'details', refusal.details));
        END IF;
        IF EXISTS (SELECT FROM cancelled_checkouts WHERE checkout_id = p_checkout_id) THEN
          RETURN jsonb_build_object('cancelled', true);
        END IF;
        IF p_refusal IS NOT NULL THEN
          INSERT INTO order_refusals (checkout_id, code, message, details) VALUES (p_checkout_id, p_refusal->>'code', p_refusal->>'message', p_refusal->'details');
          RETURN jsonb_build_object('refusal', p_refusal);
        END IF;
        INSERT INTO orders (checkout_id, client_id, status, items, total_cents)
        VALUES (p_checkout_id, p_client_id, 'PENDING', p_items, p_total_cents) RETURNING * INTO placed;
        RETURN jsonb_build_object('order', to_jsonb(placed));
      END $$`);

    // Answers the checkout's order as it is now, or no row when a tombstone now stands for it.
    await q.query(`
      CREATE FUNCTION cancel_checkout(p_checkout_id text, p_unless_confirmed boolean) RETURNS SETOF orders LANGUAGE plpgsql AS $$
      DECLARE
        cancelled orders;
      BEGIN
        -- The lock of the create: it either ran before (its order is cancelled here) or finds the tombstone.
        PERFORM pg_advisory_xact_lock(hashtext('orders'), hashtext(p_checkout_id));
        SELECT * INTO cancelled FROM orders WHERE checkout_id = p_checkout_id FOR UPDATE;
        IF NOT FOUND THEN
          INSERT INTO cancelled_checkouts (checkout_id) VALUES (p_checkout_id) ON CONFLICT (checkout_id) DO NOTHING;
          RETURN;
        END IF;
        IF cancelled.status = 'PENDING' OR (cancelled.status = 'CONFIRMED' AND NOT p_unless_confirmed) THEN
          UPDATE orders SET status = 'CANCELLED', updated_at = now() WHERE order_id = cancelled.order_id RETURNING * INTO cancelled;
        END IF;
        RETURN NEXT cancelled;
      END $$`);

    // Moves an order whose status is one of p_from to p_to; answers it as it is now, or no row when there is none.
    await q.query(`
      CREATE FUNCTION move_order(p_order_id uuid, p_from text[], p_to text) RETURNS SETOF orders LANGUAGE plpgsql AS $$
      BEGIN
        RETURN QUERY UPDATE orders SET status = p_to, updated_at = now() WHERE order_id = p_order_id AND status = ANY (p_from) RETURNING *;
        IF NOT FOUND THEN
          -- A statement of its own, so it sees the move of a request the update waited for.
          RETURN QUERY SELECT * FROM orders WHERE order_id = p_order_id;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION move_order(uuid, text[], text)');
    await q.query('DROP FUNCTION cancel_checkout(text, boolean)');
    await q.query('DROP FUNCTION place_order(text, text, jsonb, bigint, jsonb)');
  }
}
