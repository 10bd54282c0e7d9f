import { type Ledger, ledgerViolations } from './invariants.js';

const succeeded: Ledger = { order: { status: 'CONFIRMED', total: 2_400 }, reservation: 'CONFIRMED', authorization: { status: 'AUTHORIZED', amount: 2_400 } };

describe('what the participants must hold for an outcome', () => {
  it('accepts a succeeded checkout with its confirmed order, stock and authorization of the total', () => {
    expect(ledgerViolations('succeeded', succeeded)).toEqual([]);
  });

  it('flags a succeeded checkout missing any of them, or authorized for another amount', () => {
    expect(ledgerViolations('succeeded', {})).toHaveLength(3);
    expect(ledgerViolations('succeeded', { ...succeeded, order: { status: 'CANCELLED', total: 2_400 } })).toEqual(['order CANCELLED, not CONFIRMED']);
    expect(ledgerViolations('succeeded', { ...succeeded, reservation: 'RELEASED' })).toEqual(['reservation RELEASED, not CONFIRMED']);
    expect(ledgerViolations('succeeded', { ...succeeded, authorization: { status: 'AUTHORIZED', amount: 1 } })).toEqual(['authorized 1 for an order of 2400']);
  });

  it('accepts a failed checkout that holds nothing live, whatever step it reached', () => {
    expect(ledgerViolations('failed', {})).toEqual([]);
    const compensated: Ledger = { order: { status: 'CANCELLED', total: 10 }, reservation: 'RELEASED', authorization: { status: 'VOIDED', amount: 0 } };
    expect(ledgerViolations('failed', compensated)).toEqual([]);
    expect(ledgerViolations('failed', { ...compensated, authorization: { status: 'DECLINED', amount: 10 } })).toEqual([]);
  });

  it('flags a failed checkout that kept a confirmed order, live stock or a live authorization', () => {
    expect(ledgerViolations('failed', succeeded)).toEqual(['a CONFIRMED order', 'a CONFIRMED reservation', 'an AUTHORIZED authorization']);
    expect(ledgerViolations('failed', { reservation: 'RESERVED' })).toEqual(['a RESERVED reservation']);
  });
});
