import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { SHIPPING_CONSUMER, ShippingModule } from './shipping.module.js';

const config = loadConfig();
// An HTTP app that also consumes (CheckoutSucceeded): started as a worker, on its HTTP port.
await startWorkerApp(ShippingModule.register(config), { ...SHIPPING_CONSUMER, config, port: config.SHIPPING_PORT });
