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

type LineItems = CheckoutRequest['items'];

/**
 * The mix of the load, ten orders long: mostly ordinary purchases, with failures from real causes
 * (stock that runs out or was never there, a declined card) so compensations run all the time.
 */
const MIX: readonly { intent: Intent; items: (n: number) => LineItems; token?: string }[] = [
  { intent: 'declined', items: () => [{ sku: 'CHAOS-A', quantity: 1 }], token: 'tok_chargeDeclined' },
  { intent: 'declined', items: () => [{ sku: 'CHAOS-B', quantity: 2 }], token: 'tok_chargeDeclined' },
  { intent: 'out-of-stock', items: (n) => [{ sku: 'CHAOS-SCARCE', quantity: 1 + (n % 2) }] },
  {
    intent: 'out-of-stock',
    items: () => [
      { sku: 'CHAOS-A', quantity: 1 },
      { sku: 'CHAOS-SCARCE', quantity: 1_000 },
    ],
  },
  {
    intent: 'success',
    items: () => [
      { sku: 'CHAOS-A', quantity: 1 },
      { sku: 'CHAOS-B', quantity: 1 },
    ],
  },
  ...Array.from({ length: 5 }, () => ({
    intent: 'success' as const,
    items: (n: number) => [{ sku: n % 2 === 0 ? 'CHAOS-A' : 'CHAOS-B', quantity: 1 + (n % 3) }],
  })),
];

/** Checkout `n` of the load, the `n % 10`th of the mix, from one of 97 clients. */
export function orderOf(n: number): { intent: Intent; request: CheckoutRequest } {
  const { intent, items, token = 'tok_visa' } = MIX[n % MIX.length]!;
  return { intent, request: { clientId: `chaos-client-${n % 97}`, items: items(n), payment: { token } } };
}
