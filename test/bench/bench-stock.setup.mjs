// @ts-check
import { callApi } from './api.client.mjs';

/** Far more than any run sends, so a planned success never meets a shortage. */
export const PLENTY = 1_000_000;
const PRICE_CENTS = 1_000;

/**
 * @typedef {object} BenchStock
 * @property {import('./outcome.mix.mjs').BenchSkus} skus
 * @property {Record<string, number>} initial units available per SKU when the run started
 */

/**
 * Creates the SKUs of one style's run through the inventory API: one with plenty of stock for the
 * successes and the declined cards, one with none for the insufficient-stock share. Fresh SKUs per
 * run and per style keep the stock conservation check exact whatever else the system did.
 * @param {{ inventoryUrl: string, apiKey: string, runTag: string, style: string }} options
 * @returns {Promise<BenchStock>}
 */
export async function setUpBenchStock({ inventoryUrl, apiKey, runTag, style }) {
  const base = `BENCH-${runTag}-${style === 'orchestrated' ? 'ORCH' : 'CHOREO'}`;
  const skus = { ok: `${base}-OK`, short: `${base}-SHORT` };
  const products = [
    { sku: skus.ok, name: `Bench product (${style})`, priceCents: PRICE_CENTS, stock: PLENTY },
    { sku: skus.short, name: `Bench product out of stock (${style})`, priceCents: PRICE_CENTS, stock: 0 },
  ];
  for (const product of products) {
    const res = await callApi(`${inventoryUrl}/inventory/products`, { method: 'POST', apiKey, body: product });
    if (res.status !== 200) throw new Error(`Creating bench product ${product.sku} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { skus, initial: { [skus.ok]: PLENTY, [skus.short]: 0 } };
}
