import type { EventEnvelope } from '@app/contracts';

/** The events that end a checkout, and so call for a notification: the choreography's outcomes and the orchestrator's transitions. */
export type TerminalEvent = EventEnvelope<'CheckoutSucceeded'> | EventEnvelope<'CheckoutFailed'> | EventEnvelope<'SagaTransitioned'>;

export type NotificationKind = 'checkout_succeeded' | 'checkout_failed';

/** What the client is told, and why (the event it comes from). */
export interface Notification {
  checkoutId: string;
  clientId: string;
  kind: NotificationKind;
  message: string;
  eventId: string;
}

/** How a checkout ended, whichever style ran it. */
type Ending = { succeeded: true; orderId: string; totalCents: number } | { succeeded: false; reason: string };

const amount = (cents: number): string => (cents / 100).toFixed(2);

/** Participants write reasons as sentences ("Your card was declined."); the message adds its own full stop. */
const sentence = (reason: string): string => reason.trim().replace(/[.\s]+$/, '');

/**
 * How the event ends its checkout, or undefined when it does not: an orchestrated saga ends for the
 * client at SAGA_TERMINEE or SAGA_ANNULEE. A parked compensation (COMPENSATION_ECHOUEE) has not
 * undone everything yet, so the client hears of it once it is cancelled.
 */
function endingOf(event: TerminalEvent): Ending | undefined {
  switch (event.type) {
    case 'CheckoutSucceeded':
      return { succeeded: true, orderId: event.payload.orderId, totalCents: event.payload.totalCents };
    case 'CheckoutFailed':
      return { succeeded: false, reason: event.payload.reason };
    case 'SagaTransitioned': {
      const { to, orderId, totalCents, reason } = event.payload;
      if (to === 'SAGA_TERMINEE' && orderId !== undefined && totalCents !== undefined) return { succeeded: true, orderId, totalCents };
      if (to === 'SAGA_ANNULEE') return { succeeded: false, reason: reason ?? 'The checkout was cancelled' };
      return undefined;
    }
  }
}

/** The notification an event calls for, or undefined when it ends no checkout (pure). */
export function notificationOf(event: TerminalEvent): Notification | undefined {
  const ending = endingOf(event);
  if (ending === undefined) return undefined;
  const { checkoutId, clientId } = event.payload;
  const common = { checkoutId, clientId, eventId: event.eventId };
  if (ending.succeeded) {
    return { ...common, kind: 'checkout_succeeded', message: `Your order ${ending.orderId} is confirmed; ${amount(ending.totalCents)} will be charged.` };
  }
  return { ...common, kind: 'checkout_failed', message: `We could not complete your checkout ${checkoutId}: ${sentence(ending.reason)}. Nothing was charged.` };
}
