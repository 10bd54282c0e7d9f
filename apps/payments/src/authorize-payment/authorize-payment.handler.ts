import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Authorization } from '@app/contracts';
import { rowsOf } from '@app/database';
import { declined, voidedBeforeAuthorization } from '../authorization/authorization.errors.js';
import { type AuthorizationRow, isTombstone, toAuthorization } from '../authorization/authorization.mapper.js';
import { decide } from '../authorization/card-issuer.simulator.js';

export interface AuthorizePayment {
  checkoutId: string;
  amountCents: number;
  token: string;
}

/**
 * Authorizes a checkout's amount on a simulated card. Idempotent by checkoutId: the first decision
 * is stored (declines too) and every repeat answers it again; a checkout voided before it was
 * authorized is refused (409). The token itself is never stored.
 */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ checkoutId, amountCents, token }: AuthorizePayment): Promise<Authorization> {
    const decision = decide(token);
    const [code, reason] = decision.approved ? [null, null] : [decision.code, decision.reason];
    // A concurrent repeat waits on the primary key until the first insert commits, then inserts nothing.
    const [inserted] = await rowsOf<AuthorizationRow>(
      this.db.manager,
      `INSERT INTO authorizations (checkout_id, status, amount_cents, decline_code, reason) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (checkout_id) DO NOTHING RETURNING *`,
      [checkoutId, decision.approved ? 'AUTHORIZED' : 'DECLINED', amountCents, code, reason],
    );
    // Rows are never deleted, so the one that won the conflict is there.
    const row = inserted ?? (await rowsOf<AuthorizationRow>(this.db.manager, 'SELECT * FROM authorizations WHERE checkout_id = $1', [checkoutId]))[0]!;
    if (row.status === 'DECLINED') throw declined(row);
    if (isTombstone(row)) throw voidedBeforeAuthorization(checkoutId);
    return toAuthorization(row);
  }
}
