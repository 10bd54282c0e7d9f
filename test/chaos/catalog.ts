import type { CheckoutRequest } from '@app/contracts';

/** The products of a chaos run and their initial stock: the left side of stock conservation. */
export const CATALOG = [
  { sku: 'CHAOS-A', priceCents: 1_200, stock: 1_000_000 },
  { sku: 'CHAOS-B', priceCents: 3_500, stock: 1_000_000 },
  /** Runs out early in the run: from then on its checkouts fail for want of stock, racing at zero. */
  { sku: 'CHAOS-SCARCE', priceCents: 9_900, stock: 150 },
] as const;

export type Sku = (typeof CATALOG)[number]['sku'];

export const INITIAL_STOCK: ReadonlyMap<string, number> = new Map(CATALOG.map((product) => [product.sku, product.stock]));

/** What the checkout was meant to meet; the invariants never depend on it, the report shows the mix. */
export type Intent = 'success' | 'out-of-stock' | 'declined';

/**
 * Checkout `n` of the load: mostly ordinary purchases, with failures from real causes mixed in
 * (stock that runs out or was never there, a declined card) so compensations run all the time.
 */
export function orderOf(n: number): { intent: Intent; request: CheckoutRequest } {
  const clientId = `chaos-client-${n % 97}`;
  const visa = { token: 'tok_visa' };
  switch (n % 10) {
    case 0:
      return { intent: 'declined', request: { clientId, items: [{ sku: 'CHAOS-A', quantity: 1 }], payment: { token: 'tok_chargeDeclined' } } };
    case 1:
      return { intent: 'declined', request: { clientId, items: [{ sku: 'CHAOS-B', quantity: 2 }], payment: { token: 'tok_chargeDeclined' } } };
    case 2:
      return { intent: 'out-of-stock', request: { clientId, items: [{ sku: 'CHAOS-SCARCE', quantity: 1 + (n % 2) }], payment: visa } };
    case 3:
      return { intent: 'out-of-stock', request: { clientId, items: [{ sku: 'CHAOS-A', quantity: 1 }, { sku: 'CHAOS-SCARCE', quantity: 1_000 }], payment: visa } };
    case 4:
      return { intent: 'success', request: { clientId, items: [{ sku: 'CHAOS-A', quantity: 1 }, { sku: 'CHAOS-B', quantity: 1 }], payment: visa } };
    default:
      return { intent: 'success', request: { clientId, items: [{ sku: n % 2 === 0 ? 'CHAOS-A' : 'CHAOS-B', quantity: 1 + (n % 3) }], payment: visa } };
  }
}
