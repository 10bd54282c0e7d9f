// @ts-check

/** @typedef {'success' | 'insufficientStock' | 'declined'} PlannedOutcome */
/** @typedef {{ clientId: string, items: { sku: string, quantity: number }[], payment: { token: string } }} CheckoutRequest */
/** @typedef {{ ok: string, short: string }} BenchSkus */

/** @type {PlannedOutcome[]} */
export const PLANNED_OUTCOMES = ['success', 'insufficientStock', 'declined'];

/** What each planned outcome must end as; a checkout that ends otherwise is counted as a mismatch. */
export const EXPECTED_CODE = /** @type {const} */ ({
  success: null,
  insufficientStock: 'INVENTORY.INSUFFICIENT_STOCK',
  declined: 'PAYMENTS.CARD_DECLINED',
});

/**
 * Deals planned outcomes in the exact proportions of `mix` over every short window (smooth
 * weighted round robin), so a 2-second step holds the mix as well as a 10-minute one, and two
 * runs send the same sequence.
 * @param {Record<PlannedOutcome, number>} mix
 * @returns {() => PlannedOutcome}
 */
export function outcomeDealer(mix) {
  const current = { success: 0, insufficientStock: 0, declined: 0 };
  return () => {
    /** @type {PlannedOutcome} */
    let best = 'success';
    for (const outcome of PLANNED_OUTCOMES) {
      current[outcome] += mix[outcome];
      if (current[outcome] > current[best]) best = outcome;
    }
    current[best] -= 1;
    return best;
  };
}

/**
 * The checkout that produces `outcome` for a real reason: plenty of stock and a good card; a SKU
 * with no stock at all; the test token the card issuer always declines (after stock and order, so
 * the compensations run).
 * @param {PlannedOutcome} outcome
 * @param {BenchSkus} skus
 * @param {number} n
 * @returns {CheckoutRequest}
 */
export function checkoutRequestOf(outcome, skus, n) {
  const clientId = `bench-client-${n % 500}`;
  switch (outcome) {
    case 'success':
      return { clientId, items: [{ sku: skus.ok, quantity: 1 }], payment: { token: 'tok_visa' } };
    case 'insufficientStock':
      return { clientId, items: [{ sku: skus.short, quantity: 1 }], payment: { token: 'tok_visa' } };
    case 'declined':
      return { clientId, items: [{ sku: skus.ok, quantity: 1 }], payment: { token: 'tok_chargeDeclined' } };
  }
}
