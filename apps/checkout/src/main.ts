import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startHttpApp } from '@app/http-app';
import { CheckoutModule } from './checkout.module.js';

const config = loadConfig();
await startHttpApp(CheckoutModule.register(config), { name: 'checkout', port: config.CHECKOUT_PORT, logLevel: config.LOG_LEVEL });
