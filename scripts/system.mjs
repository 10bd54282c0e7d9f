/**
 * The apps of the system, how each is started, and on which port its /health and /metrics answer.
 * Read by the start script, the Prometheus config generator and the tests that start everything.
 */
import { existsSync } from 'node:fs';

export const HTTP_APPS = [
  { name: 'inventory', port: 3001 },
  { name: 'orders', port: 3002 },
  { name: 'payments', port: 3003 },
  { name: 'saga-orchestrator', port: 3010 },
  { name: 'checkout', port: 3000 },
  { name: 'event-store', port: 3020 },
  { name: 'console', port: 3040 },
  // Parcels after a successful checkout; also consumes CheckoutSucceeded (group `shipping`).
  { name: 'shipping', port: 3004 },
];

/** Workers: each its own app and consumer group, /metrics and /health on 9100 upward. */
export const WORKERS = [
  'stock-reservation',
  'order-creation',
  'payment',
  'order-confirmation',
  'order-compensation',
  'stock-compensation',
  'notification',
  'audit',
  'cqrs-projection',
  // The choreography's deadline: watches every choreographed checkout, compensates the stuck ones.
  'checkout-deadline',
].map((group, i) => ({ name: `${group}-worker`, group, port: 9100 + i }));

export const entryOf = (app) => `dist/apps/${app}/src/main.js`;

/** The apps that exist in this checkout of the repository (built into dist/). */
export function builtApps() {
  return [...HTTP_APPS, ...WORKERS].filter((app) => existsSync(entryOf(app.name)));
}
