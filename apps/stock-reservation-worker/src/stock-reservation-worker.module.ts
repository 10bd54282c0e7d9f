import { type DynamicModule, Module } from '@nestjs/common';
import { SAGA_WORKERS, sagaWorkerModule } from '@app/choreography';
import type { AppConfig } from '@app/config';
import { ReserveStockHandler } from './reserve-stock/reserve-stock.handler.js';

/** The stock-reservation worker of the choreographed checkout: CheckoutInitiated to StockReserved, or to its failure. */
@Module({})
export class StockReservationWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return sagaWorkerModule(StockReservationWorkerModule, SAGA_WORKERS.stockReservation, config, ReserveStockHandler);
  }
}
