import { Controller, Get, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Authorization, CheckoutIdParam } from '@app/contracts';
import { rowsOf } from '@app/database';
import { authorizationNotFound } from '../authorization/authorization.errors.js';
import { type AuthorizationRow, toAuthorization } from '../authorization/authorization.mapper.js';

/** Read side of the payments: a checkout's authorization as it is now, whatever its status. */
@Controller('payments/authorizations')
export class AuthorizationQueriesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get(':checkoutId')
  async get(@Param() { checkoutId }: CheckoutIdParam): Promise<Authorization> {
    const [row] = await rowsOf<AuthorizationRow>(this.db.manager, 'SELECT * FROM authorizations WHERE checkout_id = $1', [checkoutId]);
    if (row === undefined) throw authorizationNotFound(checkoutId);
    return toAuthorization(row);
  }
}
