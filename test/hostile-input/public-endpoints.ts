import type { BodySpec } from './hostile-values.js';

/** An endpoint of the public API, with valid parameters and, for writes, the shape of its body. */
export interface PublicEndpoint {
  app: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** As declared in its controller, e.g. `/inventory/products/:sku`. */
  path: string;
  /** A valid value for each `:param`. */
  params?: Record<string, string>;
  /** A query string the route needs to be valid (e.g. `mode=choreographed`), added to every request. */
  validQuery?: string;
  /** Query parameters and hostile values for them (each must get a 400). */
  query?: Record<string, string[]>;
  body?: BodySpec;
}

const UUID = '00000000-0000-4000-8000-000000000000';
const STREAM = 'ecommerce.checkout.events';
const BAD_LIMITS = ['-1', '0', 'abc', '1e9', '1.5', "1' OR '1'='1"];

const item = () => ({ sku: 'HOSTILE-1', quantity: 1 });
const checkoutRequest: BodySpec = {
  valid: () => ({ clientId: 'zoe', items: [item()], payment: { token: 'tok_visa' } }),
  fields: { clientId: 'id', items: 'items', payment: 'payment' },
};

/** Every route of every app that serves more than /health and /metrics. */
export const PUBLIC_ENDPOINTS: PublicEndpoint[] = [
  { app: 'inventory', method: 'GET', path: '/inventory/products' },
  { app: 'inventory', method: 'GET', path: '/inventory/products/:sku', params: { sku: 'HOSTILE-1' } },
  { app: 'inventory', method: 'GET', path: '/inventory/reservations/:checkoutId', params: { checkoutId: 'chk-hostile' } },
  {
    app: 'inventory',
    method: 'POST',
    path: '/inventory/products',
    body: {
      valid: () => ({ sku: 'HOSTILE-2', name: 'Hostile two', priceCents: 100, stock: 5 }),
      fields: { sku: 'sku', name: 'text', priceCents: 'natural', stock: 'natural' },
    },
  },
  { app: 'inventory', method: 'POST', path: '/inventory/availability', body: { valid: () => ({ items: [item()] }), fields: { items: 'items' } } },
  {
    app: 'inventory',
    method: 'POST',
    path: '/inventory/reservations',
    body: { valid: () => ({ checkoutId: 'chk-hostile-r', items: [item()] }), fields: { checkoutId: 'id', items: 'items' } },
  },
  { app: 'inventory', method: 'POST', path: '/inventory/reservations/:checkoutId/release', params: { checkoutId: 'chk-hostile' } },
  { app: 'inventory', method: 'POST', path: '/inventory/reservations/:checkoutId/confirm', params: { checkoutId: 'chk-hostile' } },
  {
    app: 'orders',
    method: 'POST',
    path: '/orders',
    body: {
      valid: () => ({ checkoutId: 'chk-hostile-o', clientId: 'zoe', items: [{ ...item(), unitPriceCents: 100 }] }),
      fields: { checkoutId: 'id', clientId: 'id', items: 'pricedItems' },
    },
  },
  { app: 'orders', method: 'GET', path: '/orders', query: { clientId: ["' OR 1=1--", '../x', ''], checkoutId: ["' OR 1=1--"], limit: BAD_LIMITS } },
  { app: 'orders', method: 'GET', path: '/orders/:id', params: { id: UUID } },
  { app: 'orders', method: 'POST', path: '/orders/:id/cancel', params: { id: UUID } },
  { app: 'orders', method: 'POST', path: '/orders/:id/confirm', params: { id: UUID } },
  { app: 'orders', method: 'POST', path: '/orders/:id/refund', params: { id: UUID } },
  { app: 'orders', method: 'POST', path: '/orders/by-checkout/:checkoutId/cancel', params: { checkoutId: 'chk-hostile' } },
  { app: 'payments', method: 'GET', path: '/payments/authorizations/:checkoutId', params: { checkoutId: 'chk-hostile' } },
  {
    app: 'payments',
    method: 'POST',
    path: '/payments/authorizations',
    body: {
      valid: () => ({ checkoutId: 'chk-hostile-p', amountCents: 100, token: 'tok_visa' }),
      fields: { checkoutId: 'id', amountCents: 'amount', token: 'token' },
    },
  },
  { app: 'payments', method: 'POST', path: '/payments/authorizations/:checkoutId/void', params: { checkoutId: 'chk-hostile' } },
  { app: 'saga-orchestrator', method: 'POST', path: '/api/saga/checkout', body: checkoutRequest },
  {
    app: 'saga-orchestrator',
    method: 'GET',
    path: '/api/saga/list',
    query: { state: ['DROP', "' OR 1=1"], limit: BAD_LIMITS, cursor: ['abc', '-1', '9'.repeat(40)] },
  },
  { app: 'saga-orchestrator', method: 'GET', path: '/api/saga/:id/status', params: { id: UUID } },
  { app: 'saga-orchestrator', method: 'GET', path: '/api/saga/machine' },
  { app: 'saga-orchestrator', method: 'POST', path: '/api/saga/:id/compensate', params: { id: UUID } },
  { app: 'checkout', method: 'POST', path: '/checkout/choreo', body: checkoutRequest },
  { app: 'checkout', method: 'GET', path: '/checkout/:checkoutId', params: { checkoutId: 'chk-hostile' } },
  { app: 'checkout', method: 'GET', path: '/checkout/stuck' },
  { app: 'checkout', method: 'POST', path: '/checkout/:checkoutId/compensate', params: { checkoutId: 'chk-hostile' } },
  // The deadline worker answers the two routes above behind the checkout app, and takes a key too.
  { app: 'checkout-deadline-worker', method: 'GET', path: '/checkout/stuck' },
  { app: 'checkout-deadline-worker', method: 'POST', path: '/checkout/:checkoutId/compensate', params: { checkoutId: 'chk-hostile' } },
  { app: 'checkout', method: 'POST', path: '/carts', body: { valid: () => ({ clientId: 'zoe' }), fields: { clientId: 'id' } } },
  { app: 'checkout', method: 'GET', path: '/carts/:id', params: { id: 'cart-hostile' } },
  {
    app: 'checkout',
    method: 'POST',
    path: '/carts/:id/items',
    params: { id: 'cart-hostile' },
    body: { valid: () => ({ sku: 'HOSTILE-1', quantity: 1 }), fields: { sku: 'sku', quantity: 'count' } },
  },
  { app: 'checkout', method: 'DELETE', path: '/carts/:id/items/:sku', params: { id: 'cart-hostile', sku: 'HOSTILE-1' } },
  {
    app: 'checkout',
    method: 'POST',
    path: '/carts/:id/checkout',
    params: { id: 'cart-hostile' },
    validQuery: 'mode=choreographed',
    query: { mode: ['', 'both', "choreographed' OR '1'='1"] },
    body: { valid: () => ({ payment: { token: 'tok_visa' } }), fields: { payment: 'payment' } },
  },
  {
    app: 'shipping',
    method: 'GET',
    path: '/parcels',
    query: { clientId: ["' OR 1=1--", '../x', ''], limit: BAD_LIMITS, cursor: ['abc', '1.', '9'.repeat(40), "1.' OR 1=1"] },
  },
  { app: 'shipping', method: 'GET', path: '/parcels/:parcelId', params: { parcelId: UUID } },
  // Its body is optional (a carrierRef); the DTO's refusals are in test/shipping.
  { app: 'shipping', method: 'POST', path: '/parcels/:parcelId/shipped', params: { parcelId: UUID } },
  { app: 'shipping', method: 'POST', path: '/parcels/:parcelId/delivered', params: { parcelId: UUID } },
  {
    app: 'shipping',
    method: 'POST',
    path: '/parcels/:parcelId/incidents',
    params: { parcelId: UUID },
    // `detail` is optional, so only `kind` gets hostile values here.
    body: { valid: () => ({ kind: 'LOST', detail: 'no scan' }), fields: { kind: 'id' } },
  },
  {
    app: 'shipping',
    method: 'POST',
    path: '/parcels/:parcelId/incident/resolution',
    params: { parcelId: UUID },
    body: { valid: () => ({ resolution: 'RESHIPPED' }), fields: { resolution: 'id' } },
  },
  { app: 'event-store', method: 'GET', path: '/api/event-store/streams' },
  {
    app: 'event-store',
    method: 'GET',
    path: '/api/event-store/streams/:stream/events',
    params: { stream: STREAM },
    query: { after: ['-1', 'abc'], limit: BAD_LIMITS },
  },
  { app: 'event-store', method: 'GET', path: '/api/event-store/replay/checkout/:id', params: { id: 'chk-hostile' } },
  { app: 'event-store', method: 'GET', path: '/api/event-store/replay/cart/:id', params: { id: 'cart-hostile' } },
  { app: 'event-store', method: 'GET', path: '/api/event-store/cqrs/orders-by-client/:clientId', params: { clientId: 'zoe' } },
  { app: 'event-store', method: 'POST', path: '/api/event-store/projections/:name/rebuild', params: { name: 'checkout-status' } },
  { app: 'event-store', method: 'GET', path: '/api/event-store/dead-letters', query: { stream: ['nope'], after: ['abc', "1' OR 1=1"], limit: BAD_LIMITS } },
  { app: 'event-store', method: 'POST', path: '/api/event-store/dead-letters/:stream/:id/redrive', params: { stream: STREAM, id: '1-0' } },
  { app: 'event-store', method: 'POST', path: '/api/event-store/dead-letters/:stream/redrive', params: { stream: STREAM } },
  {
    app: 'notification-worker',
    method: 'GET',
    path: '/notifications/:clientId',
    params: { clientId: 'zoe' },
    query: { limit: BAD_LIMITS, cursor: ['abc', '-1', '9'.repeat(40)] },
  },
];

/**
 * The concrete path of an endpoint, with `override` substituted for one of its parameters, and its
 * `validQuery` unless `query` replaces it.
 */
export function pathOf(endpoint: PublicEndpoint, override?: { param: string; value: string }, query = endpoint.validQuery): string {
  const path = endpoint.path.replace(/:([A-Za-z]+)/g, (_, name: string) => (override?.param === name ? override.value : (endpoint.params?.[name] ?? name)));
  return query === undefined ? path : `${path}?${query}`;
}
