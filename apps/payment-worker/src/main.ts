import 'reflect-metadata';
import { SAGA_WORKERS } from '@app/choreography';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { PaymentWorkerModule } from './payment-worker.module.js';

const config = loadConfig();
await startWorkerApp(PaymentWorkerModule.register(config), { ...SAGA_WORKERS.payment, config });
