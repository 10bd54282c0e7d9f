import 'reflect-metadata';
import { SAGA_WORKERS } from '@app/choreography';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { StockReservationWorkerModule } from './stock-reservation-worker.module.js';

const config = loadConfig();
await startWorkerApp(StockReservationWorkerModule.register(config), { ...SAGA_WORKERS.stockReservation, config });
