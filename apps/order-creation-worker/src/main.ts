import 'reflect-metadata';
import { SAGA_WORKERS } from '@app/choreography';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { OrderCreationWorkerModule } from './order-creation-worker.module.js';

const config = loadConfig();
await startWorkerApp(OrderCreationWorkerModule.register(config), { ...SAGA_WORKERS.orderCreation, config });
