import { Controller, Get, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, ID_PATTERN, NotFoundError } from '@app/contracts';
import type { OrdersByClientView } from '@app/projections';
import { IsString, Matches } from 'class-validator';

class ClientIdParam {
  @IsString() @Matches(ID_PATTERN, { message: 'clientId must be 1-100 letters, digits, dots, dashes, colons or underscores' }) clientId!: string;
}

/** Queries answered from the read models the cqrs-projection worker keeps. */
@Controller('api/event-store/cqrs')
export class CqrsQueriesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get('orders-by-client/:clientId')
  async ordersByClient(@Param() { clientId }: ClientIdParam): Promise<OrdersByClientView> {
    const [row] = await this.db.query<{ view: OrdersByClientView }[]>('SELECT view FROM orders_by_client WHERE client_id = $1', [clientId]);
    if (row === undefined) throw new NotFoundError(ErrorCode.ClientNotFound, `No orders for client ${clientId}`);
    return row.view;
  }
}
