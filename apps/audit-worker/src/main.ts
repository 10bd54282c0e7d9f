import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startWorkerApp } from '@app/http-app';
import { AUDIT_WORKER, AuditWorkerModule } from './audit-worker.module.js';

const config = loadConfig();
await startWorkerApp(AuditWorkerModule.register(config), { ...AUDIT_WORKER, config });
