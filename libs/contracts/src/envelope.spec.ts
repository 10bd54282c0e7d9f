import { createEnvelope, deterministicEventId } from './envelope.js';

describe('event envelope', () => {
  it('carries every field of the contract', () => {
    const event = createEnvelope(
      'OrderConfirmed',
      { checkoutId: 'c1', clientId: 'u1', orderId: 'o1' },
      { correlationId: 'c1', causationId: 'e0', producer: 'order-confirmation' },
    );
    expect(event).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'OrderConfirmed',
      schemaVersion: 1,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      correlationId: 'c1',
      causationId: 'e0',
      producer: 'order-confirmation',
      payload: { checkoutId: 'c1', clientId: 'u1', orderId: 'o1' },
    });
  });

  it('derives the same id for the same reaction and different ids otherwise', () => {
    const a = deterministicEventId('e1', 'StockReserved');
    expect(deterministicEventId('e1', 'StockReserved')).toBe(a);
    expect(deterministicEventId('e1', 'StockReservationFailed')).not.toBe(a);
    expect(deterministicEventId('e2', 'StockReserved')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
