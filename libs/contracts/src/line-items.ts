import type { LineItem } from './participants.js';

/** Adds up the quantities of repeated SKUs and sorts by SKU, so every participant sees one canonical list. */
export function mergeLineItems(items: readonly LineItem[]): LineItem[] {
  const bySku = new Map<string, number>();
  for (const { sku, quantity } of items) bySku.set(sku, (bySku.get(sku) ?? 0) + quantity);
  return [...bySku.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sku, quantity]) => ({ sku, quantity }));
}
