import type { EntityManager } from 'typeorm';

/**
 * Serialises every decision about one checkout until the transaction ends. The two-key form keeps
 * orders' locks apart from the other services' when they share a database (advisory locks are
 * per database, not per schema).
 */
export async function lockCheckout(tx: EntityManager, checkoutId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('orders'), hashtext($1))`, [checkoutId]);
}
