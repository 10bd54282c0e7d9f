import { type AnyEvent, type EventMap, type EventType, createEnvelope } from '@app/contracts';
import type { ParcelRow } from './parcel.mapper.js';

/** The `producer` of the shipping app's events. */
export const PRODUCER = 'shipping';

type ParcelEventType = 'ParcelRegistered' | 'ParcelShipped' | 'ParcelDelivered' | 'IncidentDeclared' | 'IncidentResolved';

/** An event about `parcel`, correlated with its checkout (so the checkout's replay shows it). */
export function parcelEvent<T extends ParcelEventType>(
  type: T,
  parcel: ParcelRow,
  extra: Omit<EventMap[T], 'parcelId' | 'checkoutId' | 'clientId' | 'orderId'>,
  context: { causationId?: string | null; eventId?: string } = {},
): AnyEvent {
  const payload = { parcelId: parcel.parcel_id, checkoutId: parcel.checkout_id, clientId: parcel.client_id, orderId: parcel.order_id, ...extra } as EventMap[T];
  return createEnvelope<EventType>(type, payload, { correlationId: parcel.checkout_id, producer: PRODUCER, ...context }) as AnyEvent;
}
