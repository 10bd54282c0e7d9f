import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each step on the stock is one call of one of these functions, so its locks are held for one round
 * trip, not across a conversation with the app. They run in READ COMMITTED: every statement of a
 * function sees what committed before it, in particular what a request it waited for decided.
 * `p_items` is one line per SKU (`mergeLineItems`).
 */
export class CreateStockFunctions1796409600000 implements MigrationInterface {
  name = 'CreateStockFunctions1796409600000';

  async up(q: QueryRunner): Promise<void> {
    // Every stock change locks its products in SKU order (byte order, whatever the database's collation),
    // so two checkouts that share SKUs queue on the first one instead of deadlocking.
    await q.query(`
      CREATE FUNCTION lock_products(p_items jsonb) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM products WHERE sku IN (SELECT sku FROM jsonb_to_recordset(p_items) AS i(sku text)) ORDER BY sku COLLATE "C" FOR UPDATE;
      END $$`);

    // Answers {"reservation": row} (a tombstone too) or {"refusal": {code, details}}.
    await q.query(`
      CREATE FUNCTION reserve_stock(p_checkout_id text, p_items jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        reservation reservations;
        refusal reservation_refusals;
        missing text[];
        shortages jsonb;
      BEGIN
        -- Repeats of one checkout, and its release, queue here behind the first and then read what it decided.
        PERFORM pg_advisory_xact_lock(hashtext(p_checkout_id));
        SELECT * INTO reservation FROM reservations WHERE checkout_id = p_checkout_id;
        IF FOUND THEN
          RETURN jsonb_build_object('reservation', to_jsonb(reservation));
        END IF;
        SELECT * INTO refusal FROM reservation_refusals WHERE checkout_id = p_checkout_id;
        IF FOUND THEN
          RETURN jsonb_build_object('refusal', jsonb_build_object('code', refusal.code, 'details', refusal.details));
        END IF;

        -- The levels are read under the locks, so what is decided on them still holds when the stock is taken.
        PERFORM lock_products(p_items);
        SELECT
          array_agg(i.sku ORDER BY i.sku COLLATE "C") FILTER (WHERE p.sku IS NULL),
          jsonb_agg(jsonb_build_object('sku', i.sku, 'requested', i.quantity, 'available', p.available) ORDER BY i.sku COLLATE "C")
            FILTER (WHERE p.available < i.quantity)
        INTO missing, shortages
        FROM jsonb_to_recordset(p_items) AS i(sku text, quantity integer) LEFT JOIN products p ON p.sku = i.sku;

        IF missing IS NOT NULL THEN
          INSERT INTO reservation_refusals (checkout_id, code, message, details)
          VALUES (p_checkout_id, 'INVENTORY.UNKNOWN_SKU', 'Unknown SKU: ' || array_to_string(missing, ', '), jsonb_build_object('skus', missing))
          RETURNING * INTO refusal;
        ELSIF shortages IS NOT NULL THEN
          INSERT INTO reservation_refusals (checkout_id, code, message, details)
          SELECT p_checkout_id, 'INVENTORY.INSUFFICIENT_STOCK',
            'Insufficient stock for ' || string_agg(format('%s (requested %s, available %s)', s->>'sku', s->>'requested', s->>'available'), ', ' ORDER BY n),
            jsonb_build_object('shortages', shortages)
          FROM jsonb_array_elements(shortages) WITH ORDINALITY AS x(s, n)
          RETURNING * INTO refusal;
        ELSE
          UPDATE products p SET available = p.available - i.quantity, reserved = p.reserved + i.quantity
          FROM jsonb_to_recordset(p_items) AS i(sku text, quantity integer) WHERE p.sku = i.sku;
          INSERT INTO reservations (checkout_id, status, items) VALUES (p_checkout_id, 'RESERVED', p_items) RETURNING * INTO reservation;
          RETURN jsonb_build_object('reservation', to_jsonb(reservation));
        END IF;
        RETURN jsonb_build_object('refusal', jsonb_build_object('code', refusal.code, 'details', refusal.details));
      END $$`);

    // Answers the reservation as it is now; no row when there is none.
    await q.query(`
      CREATE FUNCTION confirm_reservation(p_checkout_id text) RETURNS SETOF reservations LANGUAGE plpgsql AS $$
      DECLARE
        reservation reservations;
      BEGIN
        SELECT * INTO reservation FROM reservations WHERE checkout_id = p_checkout_id FOR UPDATE;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        IF reservation.status = 'RESERVED' THEN
          PERFORM lock_products(reservation.items);
          UPDATE products p SET reserved = p.reserved - i.quantity
          FROM jsonb_to_recordset(reservation.items) AS i(sku text, quantity integer) WHERE p.sku = i.sku;
          UPDATE reservations SET status = 'CONFIRMED', updated_at = now() WHERE checkout_id = p_checkout_id RETURNING * INTO reservation;
        END IF;
        RETURN NEXT reservation;
      END $$`);

    // Answers the released reservation, or the tombstone it left.
    await q.query(`
      CREATE FUNCTION release_reservation(p_checkout_id text) RETURNS reservations LANGUAGE plpgsql AS $$
      DECLARE
        reservation reservations;
      BEGIN
        -- The lock of the reserve: it either ran before (its stock comes back here) or finds the tombstone.
        PERFORM pg_advisory_xact_lock(hashtext(p_checkout_id));
        SELECT * INTO reservation FROM reservations WHERE checkout_id = p_checkout_id FOR UPDATE;
        IF NOT FOUND THEN
          INSERT INTO reservations (checkout_id, status, items) VALUES (p_checkout_id, 'RELEASED', '[]') RETURNING * INTO reservation;
          RETURN reservation;
        END IF;
        IF reservation.status = 'RELEASED' THEN
          RETURN reservation;
        END IF;
        PERFORM lock_products(reservation.items);
        -- A confirmed reservation's units already left reserved when it became a sale.
        UPDATE products p SET available = p.available + i.quantity, reserved = p.reserved - CASE reservation.status WHEN 'RESERVED' THEN i.quantity ELSE 0 END
        FROM jsonb_to_recordset(reservation.items) AS i(sku text, quantity integer) WHERE p.sku = i.sku;
        UPDATE reservations SET status = 'RELEASED', updated_at = now() WHERE checkout_id = p_checkout_id RETURNING * INTO reservation;
        RETURN reservation;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION release_reservation(text)');
    await q.query('DROP FUNCTION confirm_reservation(text)');
    await q.query('DROP FUNCTION reserve_stock(text, jsonb)');
    await q.query('DROP FUNCTION lock_products(jsonb)');
  }
}
