import type { Authorization } from '@app/contracts';
import { ParticipantClient } from './participant.client.js';
import type { ParticipantClientOptions } from './participant-client.options.js';

export interface AuthorizePayment {
  checkoutId: string;
  amountCents: number;
  /**
   * A test card token (`tok_visa` authorizes, `tok_chargeDeclined` and `tok_insufficientFunds` decline),
   * sealed for this checkout by an entry point (ADR 0012), or in clear.
   */
  token: string;
}

/** The payments service: simulated card authorizations per checkout. */
export class PaymentsClient extends ParticipantClient {
  constructor(options: ParticipantClientOptions) {
    super('payments', options);
  }

  /**
   * Authorizes the amount for the checkout (or returns the first answer again).
   * @throws PaymentRefusedError `PAYMENTS.CARD_DECLINED` or `PAYMENTS.INSUFFICIENT_FUNDS`.
   */
  authorize(request: AuthorizePayment): Promise<Authorization> {
    return this.http.call('authorizePayment', 'POST', '/payments/authorizations', request);
  }

  /** Voids the checkout's authorization, or leaves a tombstone that refuses a late one. Idempotent. */
  void(checkoutId: string): Promise<Authorization> {
    return this.http.call('voidPayment', 'POST', `/payments/authorizations/${encodeURIComponent(checkoutId)}/void`);
  }
}
