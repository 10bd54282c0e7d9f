import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { NOTIFICATION_WORKER, NotificationWorkerModule } from './notification-worker.module.js';

const config = loadConfig();
await startWorkerApp(NotificationWorkerModule.register(config), { ...NOTIFICATION_WORKER, config });
