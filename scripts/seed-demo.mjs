/** The demo catalogue, loaded by `npm start` and `npm run seed`; safe to load again. */
import { firstApiKey } from './start-banner.mjs';

// Loading products needs a key the inventory accepts: the first it reads from API_KEYS.
const API_KEY = firstApiKey();
const INVENTORY_URL = process.env.INVENTORY_URL ?? 'http://127.0.0.1:3001';

export const DEMO_PRODUCTS = [
  { sku: 'BOOK-001', name: 'Designing Data-Intensive Applications', priceCents: 4599, stock: 1000 },
  { sku: 'BOOK-002', name: 'Enterprise Integration Patterns', priceCents: 5999, stock: 1000 },
  { sku: 'MUG-001', name: 'Saga mug', priceCents: 1299, stock: 500 },
  { sku: 'TSHIRT-M', name: 'Event-sourced T-shirt (M)', priceCents: 2499, stock: 200 },
  { sku: 'LAPTOP-01', name: 'Developer laptop', priceCents: 249_900, stock: 20 },
  { sku: 'RARE-001', name: 'Signed first edition (only 2)', priceCents: 99_900, stock: 2 },
];

/** Polls each app's /health (at `app.url`, else on 127.0.0.1) until it answers 200, or fails after `timeoutMs`. */
export async function waitForHealth(apps, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (const app of apps) {
    const url = app.url ?? `http://127.0.0.1:${app.port}`;
    for (;;) {
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${app.name} is not healthy at ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Creates the demo products that do not exist yet; existing ones (and their stock) are left alone. */
export async function seedDemoCatalogue() {
  const headers = { 'Content-Type': 'application/json', 'X-API-Key': API_KEY };
  let created = 0;
  for (const product of DEMO_PRODUCTS) {
    const existing = await fetch(`${INVENTORY_URL}/inventory/products/${product.sku}`, { headers });
    if (existing.ok) continue;
    const res = await fetch(`${INVENTORY_URL}/inventory/products`, {
      method: 'POST',
      headers,
      body: JSON.stringify(product),
    });
    if (!res.ok) throw new Error(`Seeding ${product.sku} failed: ${res.status} ${await res.text()}`);
    created += 1;
  }
  console.log(`Demo catalogue: ${created} products created, ${DEMO_PRODUCTS.length - created} already there.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await waitForHealth([{ name: 'inventory', url: INVENTORY_URL }]);
  await seedDemoCatalogue();
}
