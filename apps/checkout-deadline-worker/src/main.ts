import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { CHECKOUT_DEADLINE_WORKER, CheckoutDeadlineWorkerModule } from './checkout-deadline-worker.module.js';

const config = loadConfig();
await startWorkerApp(CheckoutDeadlineWorkerModule.register(config), { ...CHECKOUT_DEADLINE_WORKER, config });
