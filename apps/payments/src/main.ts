import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startHttpApp } from '@app/http-app';
import { PaymentsModule } from './payments.module.js';

const config = loadConfig();
await startHttpApp(PaymentsModule.register(config), { name: 'payments', port: config.PAYMENTS_PORT, logLevel: config.LOG_LEVEL });
