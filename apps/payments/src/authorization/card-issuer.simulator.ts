import { ErrorCode } from '@app/contracts';

export type IssuerDecision = { approved: true } | { approved: false; code: typeof ErrorCode.CardDeclined | typeof ErrorCode.InsufficientFunds; reason: string };

const INSUFFICIENT_FUNDS = { approved: false, code: ErrorCode.InsufficientFunds, reason: 'Your card has insufficient funds.' } as const;
const DECLINED = { approved: false, code: ErrorCode.CardDeclined, reason: 'Your card was declined.' } as const;

/**
 * The simulated card issuer, following the familiar test-token convention: `tok_insufficientFunds`
 * (and its long form `tok_chargeDeclinedInsufficientFunds`) declines for insufficient funds, every
 * other `tok_chargeDeclined…` token declines the card, and any other token (`tok_visa`,
 * `tok_mastercard`, …) is approved.
 */
export function decide(token: string): IssuerDecision {
  if (token === 'tok_insufficientFunds' || token === 'tok_chargeDeclinedInsufficientFunds') return INSUFFICIENT_FUNDS;
  if (token.startsWith('tok_chargeDeclined')) return DECLINED;
  return { approved: true };
}
