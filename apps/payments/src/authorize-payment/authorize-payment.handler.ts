import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Authorization, PaymentTokenOpener } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { declined, tokenUnreadable, voidedBeforeAuthorization } from '../authorization/authorization.errors.js';
import { type AuthorizationRow, isTombstone, toAuthorization } from '../authorization/authorization.mapper.js';
import { decide } from '../authorization/card-issuer.simulator.js';

const AUTHORIZE_PAYMENT: PreparedStatement = { name: 'authorize_payment', text: 'SELECT * FROM authorize_payment($1, $2, $3, $4, $5)' };

export interface AuthorizePayment {
  checkoutId: string;
  amountCents: number;
  /** In clear (`tok_…`), or sealed for this checkout by an entry point. */
  token: string;
}

/**
 * Authorizes a checkout's amount on a simulated card. Idempotent by checkoutId: one call of
 * `authorize_payment` (migration CreateAuthorizationFunctions) stores the first decision (declines
 * too) and answers it to every repeat, concurrent ones included; a checkout voided before it was
 * authorized is refused (409). A sealed token is opened here, the only place its key is; the token
 * itself is never stored.
 */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly opener: PaymentTokenOpener,
  ) {}

  async execute({ checkoutId, amountCents, token }: AuthorizePayment): Promise<Authorization> {
    const card = token.startsWith('tok_') ? token : this.opener.open(token, checkoutId);
    if (card === undefined) throw tokenUnreadable(checkoutId);
    const decision = decide(card);
    const [code, reason] = decision.approved ? [null, null] : [decision.code, decision.reason];
    const status = decision.approved ? 'AUTHORIZED' : 'DECLINED';
    // The function always answers a row: this decision, or the first one.
    const row = (await runPrepared<AuthorizationRow>(this.db, AUTHORIZE_PAYMENT, [checkoutId, status, amountCents, code, reason]))[0]!;
    if (row.status === 'DECLINED') throw declined(row);
    if (isTombstone(row)) throw voidedBeforeAuthorization(checkoutId);
    return toAuthorization(row);
  }
}
