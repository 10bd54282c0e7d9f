import 'reflect-metadata';
import { SAGA_WORKERS } from '@app/choreography';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { OrderConfirmationWorkerModule } from './order-confirmation-worker.module.js';

const config = loadConfig();
await startWorkerApp(OrderConfirmationWorkerModule.register(config), { ...SAGA_WORKERS.orderConfirmation, config });
