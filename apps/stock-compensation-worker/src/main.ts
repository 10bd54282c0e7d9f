import 'reflect-metadata';
import { SAGA_WORKERS } from '@app/choreography';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { StockCompensationWorkerModule } from './stock-compensation-worker.module.js';

const config = loadConfig();
await startWorkerApp(StockCompensationWorkerModule.register(config), { ...SAGA_WORKERS.stockCompensation, config });
