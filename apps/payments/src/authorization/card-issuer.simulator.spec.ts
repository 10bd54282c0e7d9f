import { decide } from './card-issuer.simulator.js';

describe('simulated card issuer', () => {
  it('approves ordinary test cards', () => {
    expect(decide('tok_visa')).toEqual({ approved: true });
    expect(decide('tok_mastercard')).toEqual({ approved: true });
  });

  it('declines the declining test tokens with their code', () => {
    expect(decide('tok_chargeDeclined')).toMatchObject({ approved: false, code: 'PAYMENTS.CARD_DECLINED' });
    expect(decide('tok_chargeDeclinedExpiredCard')).toMatchObject({ approved: false, code: 'PAYMENTS.CARD_DECLINED' });
    expect(decide('tok_insufficientFunds')).toMatchObject({ approved: false, code: 'PAYMENTS.INSUFFICIENT_FUNDS' });
    expect(decide('tok_chargeDeclinedInsufficientFunds')).toMatchObject({ approved: false, code: 'PAYMENTS.INSUFFICIENT_FUNDS' });
  });
});
