import { type DynamicModule, Module } from '@nestjs/common';
import { SAGA_WORKERS, sagaWorkerModule } from '@app/choreography';
import type { AppConfig } from '@app/config';
import { ReleaseStockHandler } from './release-stock/release-stock.handler.js';

/** The stock-compensation worker of the choreographed checkout: a refused or cancelled order to StockReleased and CheckoutFailed. */
@Module({})
export class StockCompensationWorkerModule {
  static register(config: AppConfig): DynamicModule {
    return sagaWorkerModule(StockCompensationWorkerModule, SAGA_WORKERS.stockCompensation, config, ReleaseStockHandler);
  }
}
