import { type AnyEvent, STREAMS, STREAM_OF } from '@app/contracts';
import {
  type CartView,
  type CheckoutView,
  type ClientOrderView,
  type ParcelView,
  checkoutIdOf,
  clientOrderKeyOf,
  evolveCart,
  evolveCheckout,
  evolveClientOrder,
  evolveParcel,
  isCounted,
  parcelIdOf,
} from '@app/projections';

/** A read model: which row an event touches, how it folds, and where it is stored. */
export interface ReadModel<V> {
  name: string;
  table: string;
  keyColumn: string;
  keyOf(event: AnyEvent): string | undefined;
  evolve(view: V | undefined, event: AnyEvent): V | undefined;
  /** Extra columns kept beside the jsonb view, for queries, and their SQL types. */
  columns(view: V): Record<string, unknown>;
  columnTypes: Record<string, string>;
}

export const checkoutStatusModel: ReadModel<CheckoutView> = {
  name: 'checkout-status',
  table: 'checkout_view',
  keyColumn: 'checkout_id',
  // A parcel's events name its checkout but change nothing of it.
  keyOf: (event) => (event.type === 'CartCheckedOut' || STREAM_OF[event.type] === STREAMS.shipping ? undefined : checkoutIdOf(event)),
  evolve: evolveCheckout,
  columns: (v) => ({ status: v.status, style: v.style, client_id: v.clientId, updated_at: v.updatedAt }),
  columnTypes: { status: 'text', style: 'text', client_id: 'text', updated_at: 'timestamptz' },
};

/** One row per checkout with an order; `ordersOfClient` sums a client's rows that count. */
export const ordersByClientModel: ReadModel<ClientOrderView> = {
  name: 'orders-by-client',
  table: 'client_orders',
  keyColumn: 'checkout_id',
  keyOf: clientOrderKeyOf,
  evolve: evolveClientOrder,
  columns: (v) => ({ client_id: v.clientId, succeeded_at: v.succeededAt ?? null, counted: isCounted(v) }),
  columnTypes: { client_id: 'text', succeeded_at: 'timestamptz', counted: 'boolean' },
};

export const cartModel: ReadModel<CartView> = {
  name: 'cart',
  table: 'cart_view',
  keyColumn: 'cart_id',
  keyOf: (event) => (event.type.startsWith('Cart') ? (event.payload as { cartId: string }).cartId : undefined),
  evolve: evolveCart,
  columns: () => ({}),
  columnTypes: {},
};

/** One row per parcel, with its status and timeline: what the shipping app's queries serve, through its cache. */
export const parcelModel: ReadModel<ParcelView> = {
  name: 'parcels',
  table: 'parcel_view',
  keyColumn: 'parcel_id',
  keyOf: parcelIdOf,
  evolve: evolveParcel,
  columns: (v) => ({ client_id: v.clientId, status: v.status, registered_at: v.registeredAt, version: v.version }),
  columnTypes: { client_id: 'text', status: 'text', registered_at: 'timestamptz', version: 'integer' },
};

/** Every read model, by the name used in `POST /api/event-store/projections/:name/rebuild`. */
export const READ_MODELS: readonly ReadModel<unknown>[] = [checkoutStatusModel, ordersByClientModel, cartModel, parcelModel] as ReadModel<unknown>[];
