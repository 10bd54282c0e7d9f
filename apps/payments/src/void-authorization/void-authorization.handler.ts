import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Authorization } from '@app/contracts';
import { rowsOf } from '@app/database';
import { type AuthorizationRow, toAuthorization } from '../authorization/authorization.mapper.js';

/**
 * Voids a checkout's authorization (compensation). Idempotent. A declined one held nothing and is
 * answered as it is. A void that arrives before the authorization leaves a VOIDED tombstone of
 * amount 0, so the late authorize is refused instead of holding money for a compensated checkout.
 */
@Injectable()
export class VoidAuthorizationHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(checkoutId: string): Promise<Authorization> {
    // Each statement is atomic and sees what committed before it, so no transaction is needed: an
    // authorize racing this insert either lands first (and is voided below) or finds the tombstone.
    const [tombstone] = await rowsOf<AuthorizationRow>(
      this.db.manager,
      `INSERT INTO authorizations (checkout_id, status, amount_cents) VALUES ($1, 'VOIDED', 0) ON CONFLICT (checkout_id) DO NOTHING RETURNING *`,
      [checkoutId],
    );
    if (tombstone !== undefined) return toAuthorization(tombstone);
    const [voided] = await rowsOf<AuthorizationRow>(
      this.db.manager,
      `UPDATE authorizations SET status = 'VOIDED', updated_at = now() WHERE checkout_id = $1 AND status = 'AUTHORIZED' RETURNING *`,
      [checkoutId],
    );
    if (voided !== undefined) return toAuthorization(voided);
    const [current] = await rowsOf<AuthorizationRow>(this.db.manager, 'SELECT * FROM authorizations WHERE checkout_id = $1', [checkoutId]);
    return toAuthorization(current!);
  }
}
