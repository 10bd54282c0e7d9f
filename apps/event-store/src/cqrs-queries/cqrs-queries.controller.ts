import { Controller, Get, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, ID_PATTERN, NotFoundError } from '@app/contracts';
import { ordersOfClient } from '@app/event-store';
import type { OrdersByClientView } from '@app/projections';
import { IsString, Matches } from 'class-validator';

class ClientIdParam {
  @IsString() @Matches(ID_PATTERN, { message: 'clientId must be 1-100 letters, digits, dots, dashes, colons or underscores' }) clientId!: string;
}

/** Queries answered from the read models the cqrs-projection worker keeps. */
@Controller('api/event-store/cqrs')
export class CqrsQueriesController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The client's orders that count: succeeded and not cancelled since (404 when none does). */
  @Get('orders-by-client/:clientId')
  async ordersByClient(@Param() { clientId }: ClientIdParam): Promise<OrdersByClientView> {
    const view = await ordersOfClient(this.db, clientId);
    if (view === undefined) throw new NotFoundError(ErrorCode.ClientNotFound, `No orders for client ${clientId}`);
    return view;
  }
}
