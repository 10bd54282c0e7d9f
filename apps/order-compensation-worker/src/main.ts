import 'reflect-metadata';
import { SAGA_WORKERS } from '@app/choreography';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { OrderCompensationWorkerModule } from './order-compensation-worker.module.js';

const config = loadConfig();
await startWorkerApp(OrderCompensationWorkerModule.register(config), { ...SAGA_WORKERS.orderCompensation, config });
