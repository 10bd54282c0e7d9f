import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { CHECKOUT_CONSUMER, CheckoutModule } from './checkout.module.js';

const config = loadConfig();
// An HTTP app that also consumes (its status read model): started as a worker, on its HTTP port.
await startWorkerApp(CheckoutModule.register(config), { ...CHECKOUT_CONSUMER, config, port: config.CHECKOUT_PORT });
