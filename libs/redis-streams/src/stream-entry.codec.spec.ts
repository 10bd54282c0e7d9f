import { createEnvelope } from '@app/contracts';
import { decodeEntry, encodeEnvelope, entryTypeOf } from './stream-entry.codec.js';

describe('stream entry codec', () => {
  const envelope = createEnvelope(
    'OrderCreated',
    { checkoutId: 'chk-1', clientId: 'cl-1', orderId: 'ord-1', totalCents: 1200, paymentToken: 'tok_visa' },
    { correlationId: 'chk-1', producer: 'orders' },
  );

  it('stores the envelope as one JSON field, then its type, and reads it back', () => {
    const fields = encodeEnvelope(envelope);
    expect(fields).toEqual(['event', JSON.stringify(envelope), 'type', 'OrderCreated']);
    expect(decodeEntry(fields)).toEqual({ kind: 'event', envelope });
  });

  it('finds the event and type fields among others, in any order', () => {
    const fields = ['trace', 'x', 'type', 'OrderCreated', 'event', JSON.stringify(envelope)];
    expect(decodeEntry(fields)).toEqual({ kind: 'event', envelope });
    expect(entryTypeOf(fields)).toBe('OrderCreated');
  });

  it('reads the type of an entry without looking at its envelope', () => {
    expect(entryTypeOf(['event', '{not json', 'type', 'StockReserved'])).toBe('StockReserved');
  });

  it('decodes an entry written before the type field existed', () => {
    const fields = ['event', JSON.stringify(envelope)];
    expect(entryTypeOf(fields)).toBeUndefined();
    expect(decodeEntry(fields)).toEqual({ kind: 'event', envelope });
  });

  it('reports an entry trimmed after its delivery as deleted', () => {
    expect(decodeEntry(null)).toEqual({ kind: 'deleted' });
  });

  it.each([
    ['no event field', ['other', '{}']],
    ['invalid JSON', ['event', '{not json']],
    ['a JSON value that is not an envelope', ['event', '[1,2]']],
    ['an envelope without correlationId', ['event', JSON.stringify({ ...envelope, correlationId: undefined })]],
    ['an envelope without payload', ['event', JSON.stringify({ ...envelope, payload: null })]],
    ['a type field that contradicts the envelope', ['event', JSON.stringify(envelope), 'type', 'CheckoutSucceeded']],
  ])('reports %s as poison', (_label, fields) => {
    const decoded = decodeEntry(fields);
    expect(decoded.kind).toBe('poison');
    expect(decoded.kind === 'poison' && decoded.reason).toMatch(/^unparsable entry/);
  });
});
