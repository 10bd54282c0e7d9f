import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startHttpApp } from '@app/http-app';
import { InventoryModule } from './inventory.module.js';

const config = loadConfig();
await startHttpApp(InventoryModule.register(config), { name: 'inventory', port: config.INVENTORY_PORT, logLevel: config.LOG_LEVEL });
