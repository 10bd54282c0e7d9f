import type { EventType } from './event-map.js';
import { isSagaState } from './saga-states.js';

/** The JSON type a payload field must have; `?` marks an optional field. */
type FieldType = 'string' | 'number' | 'boolean' | 'items' | 'array' | 'sagaState' | 'string?' | 'number?' | 'boolean?' | 'array?';

const checkoutRef = { checkoutId: 'string', clientId: 'string' } as const;
const refusal = { code: 'string', reason: 'string' } as const;
const parcelRef = { parcelId: 'string', checkoutId: 'string', clientId: 'string', orderId: 'string' } as const;

/**
 * The required fields of every event's payload and their JSON types: what a consumer checks before
 * it trusts an event from the bus. The compiler makes sure every event type has an entry.
 */
export const PAYLOAD_SHAPES: { readonly [K in EventType]: Readonly<Record<string, FieldType>> } = {
  CheckoutInitiated: { ...checkoutRef, items: 'items', paymentToken: 'string', cartId: 'string?' },
  StockReserved: { ...checkoutRef, items: 'items', totalCents: 'number', paymentToken: 'string' },
  StockReservationFailed: { ...checkoutRef, ...refusal, shortages: 'array?' },
  OrderCreated: { ...checkoutRef, orderId: 'string', totalCents: 'number', paymentToken: 'string' },
  OrderCreationFailed: { ...checkoutRef, ...refusal },
  PaymentAuthorized: { ...checkoutRef, orderId: 'string', amountCents: 'number' },
  PaymentFailed: { ...checkoutRef, ...refusal, orderId: 'string' },
  OrderConfirmed: { ...checkoutRef, orderId: 'string' },
  OrderCancelled: { ...checkoutRef, orderId: 'string', reason: 'string', failedStep: 'string?', code: 'string?' },
  StockReleased: { ...checkoutRef, ...refusal, failedStep: 'string' },
  CheckoutSucceeded: { ...checkoutRef, orderId: 'string', totalCents: 'number' },
  CheckoutFailed: { ...checkoutRef, ...refusal, failedStep: 'string' },
  SagaTransitioned: { sagaId: 'string', checkoutId: 'string', clientId: 'string', from: 'sagaState', to: 'sagaState', terminal: 'boolean' },
  CartCreated: { cartId: 'string', clientId: 'string' },
  CartItemAdded: { cartId: 'string', sku: 'string', quantity: 'number' },
  CartItemRemoved: { cartId: 'string', sku: 'string' },
  CartCheckedOut: { cartId: 'string', checkoutId: 'string', mode: 'string' },
  CartReopened: { cartId: 'string', checkoutId: 'string' },
  ParcelRegistered: { ...parcelRef, replacesParcelId: 'string?' },
  ParcelShipped: { ...parcelRef, carrierRef: 'string?' },
  ParcelDelivered: parcelRef,
  IncidentDeclared: { ...parcelRef, kind: 'string', detail: 'string?' },
  IncidentResolved: { ...parcelRef, resolution: 'string', newParcelId: 'string?' },
};

const isLineItem = (value: unknown): boolean => {
  const item = value as { sku?: unknown; quantity?: unknown } | null;
  return typeof item === 'object' && item !== null && typeof item.sku === 'string' && Number.isInteger(item.quantity) && (item.quantity as number) > 0;
};

function matches(value: unknown, type: FieldType): boolean {
  if (type.endsWith('?') && value === undefined) return true;
  switch (type.replace('?', '')) {
    case 'string':
      return typeof value === 'string' && value !== '';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'items':
      return Array.isArray(value) && value.length > 0 && value.every(isLineItem);
    case 'sagaState':
      return isSagaState(value);
    default:
      return Array.isArray(value);
  }
}

/**
 * What is wrong with an event's type and payload, or an empty list when it has the shape its type
 * promises. An unknown type is a problem: no consumer can act on it.
 */
export function payloadProblems(type: string, payload: unknown): string[] {
  const shape = (PAYLOAD_SHAPES as Readonly<Record<string, Readonly<Record<string, FieldType>>>>)[type];
  if (shape === undefined) return [`unknown event type ${JSON.stringify(type).slice(0, 80)}`];
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return ['payload is not an object'];
  const record = payload as Record<string, unknown>;
  return Object.entries(shape)
    .filter(([field, fieldType]) => !matches(record[field], fieldType))
    .map(([field, fieldType]) => `payload.${field} must be ${fieldType.replace('?', ' (optional)')}`);
}
