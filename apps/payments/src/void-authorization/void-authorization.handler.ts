import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Authorization } from '@app/contracts';
import { type PreparedStatement, runPrepared } from '@app/database';
import { type AuthorizationRow, toAuthorization } from '../authorization/authorization.mapper.js';

const VOID_AUTHORIZATION: PreparedStatement = { name: 'void_authorization', text: 'SELECT * FROM void_authorization($1)' };

/**
 * Voids a checkout's authorization (compensation), in one call of `void_authorization` (migration
 * CreateAuthorizationFunctions). Idempotent. A declined one held nothing and is answered as it is. A
 * void that arrives before the authorization leaves a VOIDED tombstone of amount 0, so the late
 * authorize is refused instead of holding money for a compensated checkout.
 */
@Injectable()
export class VoidAuthorizationHandler {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(checkoutId: string): Promise<Authorization> {
    const [row] = await runPrepared<AuthorizationRow>(this.db, VOID_AUTHORIZATION, [checkoutId]);
    return toAuthorization(row!);
  }
}
