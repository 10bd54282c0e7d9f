import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { CQRS_PROJECTION_WORKER, CqrsProjectionWorkerModule } from './cqrs-projection-worker.module.js';

const config = loadConfig();
await startWorkerApp(CqrsProjectionWorkerModule.register(config), { ...CQRS_PROJECTION_WORKER, config });
