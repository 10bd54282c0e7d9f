import type { EventEnvelope } from '@app/contracts';
import { choreographedCheckout, orchestratedCheckout } from '@app/testing';
import { type TerminalEvent, notificationOf } from './notification.message.js';

const terminalOf = (ending: 'succeeded' | 'declined') =>
  choreographedCheckout(ending, { checkoutId: 'c9', clientId: 'bea' }).at(-1) as EventEnvelope<'CheckoutSucceeded'> | EventEnvelope<'CheckoutFailed'>;
const sagaOutcomeOf = (ending: 'succeeded' | 'declined') =>
  orchestratedCheckout(ending, { sagaId: 's9', checkoutId: 's9', clientId: 'bea' }).at(-1) as TerminalEvent;

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

  it('writes one full stop after a reason that is already a sentence, as the payments service words it', () => {
    const event = terminalOf('declined') as EventEnvelope<'CheckoutFailed'>;
    const declined: TerminalEvent = { ...event, payload: { ...event.payload, reason: 'Your card was declined.' } };
    expect(notificationOf(declined).message).toBe('We could not complete your checkout c9: Your card was declined. Nothing was charged.');
  });

  it('words the outcome of an orchestrated checkout the same way', () => {
    const succeeded = sagaOutcomeOf('succeeded');
    expect(notificationOf(succeeded)).toEqual({
      checkoutId: 's9',
      clientId: 'bea',
      kind: 'checkout_succeeded',
      message: 'Your order order-s9 is confirmed; 25.00 will be charged.',
      eventId: succeeded.eventId,
    });
    expect(notificationOf(sagaOutcomeOf('declined'))).toMatchObject({
      kind: 'checkout_failed',
      message: 'We could not complete your checkout s9: Card declined. Nothing was charged.',
    });
  });
});
