import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Authorization } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { declined, voidedBeforeAuthorization } from '../authorization/authorization.errors.js';
import { type AuthorizationRow, isTombstone, toAuthorization } from '../authorization/authorization.mapper.js';
import { decide } from '../authorization/card-issuer.simulator.js';

const AUTHORIZE_PAYMENT: PreparedStatement = { name: 'authorize_payment', text: 'SELECT * FROM authorize_payment($1, $2, $3, $4, $5)' };

export interface AuthorizePayment {
  checkoutId: string;
  amountCents: number;
  token: string;
}

/**
 * Authorizes a checkout's amount on a simulated card. Idempotent by checkoutId: one call of
 * `authorize_payment` (migration CreateAuthorizationFunctions) stores the first decision (declines
 * too) and answers it to every repeat, concurrent ones included; a checkout voided before it was
 * authorized is refused (409). The token itself is never stored.
 */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ checkoutId, amountCents, token }: AuthorizePayment): Promise<Authorization> {
    const decision = decide(token);
    const [code, reason] = decision.approved ? [null, null] : [decision.code, decision.reason];
    const status = decision.approved ? 'AUTHORIZED' : 'DECLINED';
    // The function always answers a row: this decision, or the first one.
    const row = (await runPrepared<AuthorizationRow>(this.db, AUTHORIZE_PAYMENT, [checkoutId, status, amountCents, code, reason]))[0]!;
    if (row.status === 'DECLINED') throw declined(row);
    if (isTombstone(row)) throw voidedBeforeAuthorization(checkoutId);
    return toAuthorization(row);
  }
}
