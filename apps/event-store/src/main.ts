import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startHttpApp } from '@app/http-app';
import { EventStoreModule } from './event-store.module.js';

const config = loadConfig();
await startHttpApp(EventStoreModule.register(config), { name: 'event-store', port: config.EVENT_STORE_PORT, logLevel: config.LOG_LEVEL });
