import type { EventEnvelope } from '@app/contracts';
import { choreographedCheckout } from '@app/testing';
import { notificationOf } from './notification.message.js';

const terminalOf = (ending: 'succeeded' | 'declined') =>
  choreographedCheckout(ending, { checkoutId: 'c9', clientId: 'bea' }).at(-1) as EventEnvelope<'CheckoutSucceeded'> | EventEnvelope<'CheckoutFailed'>;

describe('notification message', () => {
  it('confirms a succeeded checkout with its order and amount', () => {
    const event = terminalOf('succeeded');
    expect(notificationOf(event)).toEqual({
      checkoutId: 'c9',
      clientId: 'bea',
      kind: 'checkout_succeeded',
      message: 'Your order order-c9 is confirmed; 25.00 will be charged.',
      eventId: event.eventId,
    });
  });

  it('explains a failed checkout with its reason', () => {
    expect(notificationOf(terminalOf('declined'))).toMatchObject({
      kind: 'checkout_failed',
      message: 'We could not complete your checkout c9: Card declined. Nothing was charged.',
    });
  });
});
