import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startHttpApp } from '@app/http-app';
import { OrdersModule } from './orders.module.js';

const config = loadConfig();
await startHttpApp(OrdersModule.register(config), { name: 'orders', port: config.ORDERS_PORT, logLevel: config.LOG_LEVEL });
