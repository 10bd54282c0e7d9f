import { deterministicEventId } from '@app/contracts';
import { deadlineCompensationEvents, stuckStepOf } from './deadline-compensation.events.js';

const base = { checkoutId: 'c1', clientId: 'ann', initiatedEventId: 'e-init', failedStep: 'payment' as const, reason: 'late' };

describe('deadline compensation events', () => {
  it('cancels the order, then releases the stock and fails the checkout, each caused by the one the workers would react to', () => {
    const [cancelled, released, failed, ...rest] = deadlineCompensationEvents({ ...base, orderId: 'o1' });
    expect(rest).toEqual([]);
    const cancelledId = deterministicEventId('e-init', 'OrderCancelled');
    expect(cancelled).toMatchObject({
      type: 'OrderCancelled',
      eventId: cancelledId,
      causationId: 'e-init',
      correlationId: 'c1',
      producer: 'checkout-deadline-worker',
      payload: { checkoutId: 'c1', clientId: 'ann', orderId: 'o1', failedStep: 'payment', code: 'CHECKOUT.DEADLINE_EXCEEDED', reason: 'late' },
    });
    expect(released).toMatchObject({ type: 'StockReleased', eventId: deterministicEventId(cancelledId, 'StockReleased'), causationId: cancelledId });
    expect(failed).toMatchObject({
      type: 'CheckoutFailed',
      eventId: deterministicEventId(cancelledId, 'CheckoutFailed'),
      causationId: cancelledId,
      payload: { failedStep: 'payment', code: 'CHECKOUT.DEADLINE_EXCEEDED', reason: 'late' },
    });
  });

  it('without an order, derives the stock release and the failure from the CheckoutInitiated', () => {
    const events = deadlineCompensationEvents({ ...base, failedStep: 'stock' });
    expect(events.map((e) => [e.type, e.eventId, e.causationId])).toEqual([
      ['StockReleased', deterministicEventId('e-init', 'StockReleased'), 'e-init'],
      ['CheckoutFailed', deterministicEventId('e-init', 'CheckoutFailed'), 'e-init'],
    ]);
  });

  it('is the same every time, so a repeated compensation publishes the same ids', () => {
    const ids = (n: number) => Array.from({ length: n }, () => deadlineCompensationEvents({ ...base, orderId: 'o1' }).map((e) => e.eventId));
    expect(new Set(ids(3).map((list) => list.join())).size).toBe(1);
  });

  it('names the step the checkout waits on after its last event', () => {
    expect(stuckStepOf(undefined)).toBe('stock');
    expect(stuckStepOf('CheckoutInitiated')).toBe('stock');
    expect(stuckStepOf('StockReserved')).toBe('order');
    expect(stuckStepOf('OrderCreated')).toBe('payment');
    expect(stuckStepOf('PaymentAuthorized')).toBe('confirmation');
  });
});
