import type { EventEnvelope } from '@app/contracts';

/** The events that end a checkout of either style, and so call for a notification. */
export type TerminalEvent = EventEnvelope<'CheckoutSucceeded'> | EventEnvelope<'CheckoutFailed'>;

export type NotificationKind = 'checkout_succeeded' | 'checkout_failed';

/** What the client is told, and why (the event it comes from). */
export interface Notification {
  checkoutId: string;
  clientId: string;
  kind: NotificationKind;
  message: string;
  eventId: string;
}

const amount = (cents: number): string => (cents / 100).toFixed(2);

/** Participants write reasons as sentences ("Your card was declined."); the message adds its own full stop. */
const sentence = (reason: string): string => reason.trim().replace(/[.\s]+$/, '');

/** The notification the outcome of a checkout calls for (pure). */
export function notificationOf(event: TerminalEvent): Notification {
  const { checkoutId, clientId } = event.payload;
  const common = { checkoutId, clientId, eventId: event.eventId };
  if (event.type === 'CheckoutSucceeded') {
    const { orderId, totalCents } = event.payload;
    return { ...common, kind: 'checkout_succeeded', message: `Your order ${orderId} is confirmed; ${amount(totalCents)} will be charged.` };
  }
  return {
    ...common,
    kind: 'checkout_failed',
    message: `We could not complete your checkout ${checkoutId}: ${sentence(event.payload.reason)}. Nothing was charged.`,
  };
}
